#include "http/server.hpp"

#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/session.hpp"

namespace sg::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Server::Impl {
  Impl(const config::ServerConfig& c, const Router& r, HttpMetrics& m, Logger& l,
       audit::AuditWriter* a, bool wait)
      : shared{c, r, m, l, a, wait} {}

  asio::awaitable<void> accept_loop();

  detail::SessionShared shared;
  std::vector<std::unique_ptr<detail::Worker>> workers;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::uint16_t port = 0;
  std::size_t next_worker = 0;
  bool stopped = false;
};

unsigned Server::worker_count(const config::ServerConfig& config) {
  if (config.threads > 0) return config.threads;
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

Server::Server(const config::ServerConfig& config, const Router& router, HttpMetrics& metrics,
               Logger& log, ServerAudit audit)
    : impl_(std::make_unique<Impl>(config, router, metrics, log, audit.writer, audit.wait)) {
  unsigned n = worker_count(config);
  for (unsigned i = 0; i < n; ++i)
    impl_->workers.push_back(std::make_unique<detail::Worker>(i));
}

Server::~Server() {
  stop();
}

Status Server::listen() {
  const config::ServerConfig& cfg = impl_->shared.config;
  std::string host = cfg.listen_host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string where = cfg.listen_host + ":" + std::to_string(cfg.listen_port);
  boost::system::error_code ec;
  asio::io_context& ioc = impl_->workers.front()->ioc;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::to_string(cfg.listen_port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return make_error(Errc::kUnavailable,
                      "cannot resolve listen address " + where + ": " + ec.message());
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  auto acceptor = std::make_unique<tcp::acceptor>(ioc);
  if (acceptor->open(endpoint.protocol(), ec) ||
      acceptor->set_option(asio::socket_base::reuse_address(true), ec) ||
      acceptor->bind(endpoint, ec) ||
      acceptor->listen(asio::socket_base::max_listen_connections, ec)) {
    return make_error(Errc::kUnavailable, "cannot listen on " + where + ": " + ec.message());
  }
  impl_->port = acceptor->local_endpoint(ec).port();
  impl_->acceptor = std::move(acceptor);
  return {};
}

std::uint16_t Server::port() const {
  return impl_->port;
}

asio::awaitable<void> Server::Impl::accept_loop() {
  Logger& log = shared.log;
  for (;;) {
    detail::Worker& worker = *workers[next_worker];
    next_worker = (next_worker + 1) % workers.size();
    auto [ec, socket] =
        co_await acceptor->async_accept(worker.ioc, asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      log.warn("accept failed", {{"error", ec.message()}});
      continue;  // e.g. EMFILE: keep serving the connections we have
    }
    if (shared.open.load() >= static_cast<std::int64_t>(shared.config.max_connections)) {
      log.warn("connection refused: max_connections reached",
               {{"max_connections", static_cast<unsigned long>(shared.config.max_connections)}});
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<detail::Session>(std::move(socket), worker, shared);
    asio::co_spawn(worker.ioc, detail::Session::run(std::move(session)), asio::detached);
  }
}

void Server::start() {
  Impl& impl = *impl_;
  for (auto& w : impl.workers)
    impl.guards.push_back(asio::make_work_guard(w->ioc));
  asio::co_spawn(impl.workers.front()->ioc, impl.accept_loop(), asio::detached);
  for (auto& w : impl.workers) {
    detail::Worker* worker = w.get();
    impl.threads.emplace_back([worker] { worker->ioc.run(); });
  }
}

void Server::begin_shutdown() {
  Impl& impl = *impl_;
  if (impl.shared.draining.exchange(true)) return;
  if (impl.acceptor) {
    asio::post(impl.workers.front()->ioc, [&impl] {
      boost::system::error_code ec;
      impl.acceptor->close(ec);
    });
  }
  for (auto& w : impl.workers) {
    detail::Worker* worker = w.get();
    asio::post(worker->ioc, [worker] {
      for (detail::Session* s : worker->sessions)
        s->drain();
    });
  }
}

bool Server::draining() const {
  return impl_->shared.draining.load();
}

bool Server::wait_drained(Duration deadline) {
  detail::SessionShared& shared = impl_->shared;
  std::unique_lock lock(shared.drained_mu);
  return shared.drained_cv.wait_for(lock, deadline, [&] { return shared.open.load() == 0; });
}

void Server::stop() {
  Impl& impl = *impl_;
  if (impl.stopped) return;
  impl.stopped = true;
  impl.guards.clear();
  for (auto& w : impl.workers)
    w->ioc.stop();
  for (auto& t : impl.threads) {
    if (t.joinable()) t.join();
  }
  impl.threads.clear();
}

}  // namespace sg::http
