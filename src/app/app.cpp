#include "app/app.hpp"

#include <pthread.h>
#include <signal.h>

#include "common/build_info.hpp"
#include "common/duration.hpp"
#include "http/api/identity.hpp"
#include "http/api/ops.hpp"
#include "http/metrics.hpp"
#include "http/readiness.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "identity/authenticator.hpp"
#include "identity/curl_fetcher.hpp"
#include "identity/dev_issuer.hpp"
#include "identity/issuer_factory.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sg::app {

struct App::Impl {
  Impl(const config::Config& c, Logger& l, Options o) : config(c), log(l), options(o) {}

  const config::Config& config;
  Logger& log;
  Options options;
  SystemClock clock;
  std::unique_ptr<store::Store> store;
  identity::CurlFetcher fetcher;
  std::shared_ptr<const identity::DevIssuer> dev_issuer;
  std::unique_ptr<identity::Authenticator> authenticator;
  std::atomic<bool> shutting_down{false};
  http::Router router;
  http::Readiness readiness;
  std::unique_ptr<http::HttpMetrics> metrics;
  std::unique_ptr<http::Server> server;
};

namespace {

Result<std::unique_ptr<store::Store>> open_store(const config::StoreConfig& cfg) {
  switch (cfg.kind) {
    case config::StoreConfig::Kind::kSqlite: {
      auto opened = store::SqliteStore::open({cfg.sqlite_path, cfg.busy_timeout});
      if (!opened) return opened.error();
      return std::unique_ptr<store::Store>(std::move(opened).value());
    }
    case config::StoreConfig::Kind::kPostgres:
      break;
  }
  return make_error(Errc::kInvalidConfig, "PostgreSQL stores are not available in this build yet");
}

}  // namespace

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

App::~App() {
  if (impl_->server) impl_->server->stop();
}

Result<std::unique_ptr<App>> App::create(const config::Config& config, Logger& log,
                                         Options options) {
  auto impl = std::make_unique<Impl>(config, log, options);
  auto store = open_store(config.store);
  if (!store) return store.error();
  impl->store = std::move(store).value();
  auto version = impl->store->schema_version();
  log.info("store opened",
           {{"engine", impl->store->engine()}, {"schema_version", version ? *version : -1}});

  store::Store* s = impl->store.get();
  impl->readiness.add("store", [s] { return s->ping(); });

  auto issuers = identity::make_issuers(config.issuers, impl->fetcher, impl->clock, &log);
  if (!issuers) return issuers.error();
  if (options.dev) {
    auto dev = identity::DevIssuer::create();
    if (!dev) return dev.error();
    impl->dev_issuer = std::move(dev).value();
    issuers->push_back(impl->dev_issuer->trusted_issuer());
  }
  impl->authenticator =
      std::make_unique<identity::Authenticator>(std::move(issuers).value(), impl->clock);
  identity::Authenticator* auth = impl->authenticator.get();
  for (const auto& [name, status] : auth->prefetch()) {
    if (!status) {
      log.warn("issuer keys not available yet",
               {{"issuer", name}, {"error", status.error().message}});
    }
  }
  impl->readiness.add("issuers", [auth]() -> Status {
    for (auto& [name, status] : auth->readiness()) {
      if (!status) return make_error(status.code(), name + ": " + status.error().message);
    }
    return {};
  });

  unsigned workers = http::Server::worker_count(config.server);
  impl->metrics = std::make_unique<http::HttpMetrics>(impl->router, workers);
  http::api::add_ops_routes(impl->router,
                            {impl->readiness, *impl->metrics, log, impl->shutting_down});
  http::api::add_identity_routes(impl->router,
                                 {*impl->authenticator, impl->dev_issuer, impl->clock, log});
  impl->server = std::make_unique<http::Server>(config.server, impl->router, *impl->metrics, log);
  return std::unique_ptr<App>(new App(std::move(impl)));
}

Status App::start() {
  Impl& impl = *impl_;
  if (Status s = impl.server->listen(); !s) return s;
  impl.server->start();
  const BuildInfo& info = build_info();
  impl.log.info("listening", {{"host", impl.config.server.listen_host},
                              {"port", static_cast<unsigned>(impl.server->port())},
                              {"threads", http::Server::worker_count(impl.config.server)},
                              {"version", info.version},
                              {"commit", info.commit}});
  impl.log.flush();
  return {};
}

std::uint16_t App::port() const {
  return impl_->server->port();
}

void App::block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int App::run_until_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      impl_->log.info("SIGHUP received; nothing to reload in this build");
      continue;
    }
    impl_->log.info("shutdown requested", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    return shutdown() ? 0 : 1;
  }
}

bool App::shutdown() {
  Impl& impl = *impl_;
  impl.shutting_down.store(true);
  impl.server->begin_shutdown();
  bool drained = impl.server->wait_drained(impl.config.server.shutdown_grace);
  if (!drained) {
    impl.log.warn("shutdown grace period over; closing the connections still open",
                  {{"grace", format_duration(impl.config.server.shutdown_grace)}});
  }
  impl.server->stop();
  impl.log.info("stopped", {{"clean", drained}});
  impl.log.flush();
  return drained;
}

}  // namespace sg::app
