// Session serves one client connection: reads requests within the limits and timeouts, dispatches
// them, writes responses, and closes the connection when the client, a limit or shutdown says so.
//
// Internal to http/: only server.cpp creates sessions. A session lives on its worker's io_context
// thread and is only touched from there (the worker's session list included), so it needs no locks.
// SessionShared is owned by the Server and outlives every session.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "common/logger.hpp"
#include "config/config.hpp"
#include "http/metrics.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace sg::audit {
class AuditWriter;
}  // namespace sg::audit

namespace sg::http::detail {

// What every session of one server shares. Read-only except the atomics and the drain signal.
struct SessionShared {
  SessionShared(const config::ServerConfig& c, const Router& r, HttpMetrics& m, Logger& l,
                audit::AuditWriter* a, bool wait)
      : config(c), router(r), metrics(m), log(l), audit(a), wait_for_audit(wait) {}

  const config::ServerConfig& config;
  const Router& router;
  HttpMetrics& metrics;
  Logger& log;
  audit::AuditWriter* audit;  // null: responses' audit events are dropped (tests without a store)
  bool wait_for_audit;        // fail_closed: answer only once the events are durable
  std::atomic<bool> draining{false};
  std::atomic<std::int64_t> open{0};  // open connections
  std::mutex drained_mu;
  std::condition_variable drained_cv;
};

class Session;

// One worker thread's io_context and the sessions living on it.
struct Worker {
  explicit Worker(unsigned i) : index(i) {}
  unsigned index;
  // Declared before ioc so it outlives it: destroying ioc destroys the sessions still on it.
  std::list<Session*> sessions;  // touched only on ioc's thread
  boost::asio::io_context ioc{1};
};

class Session {
 public:
  Session(boost::asio::ip::tcp::socket socket, Worker& worker, SessionShared& shared);
  ~Session();

  // The connection's whole life; co_spawn it on the worker's io_context.
  static boost::asio::awaitable<void> run(std::shared_ptr<Session> self);

  // Called on the worker's thread when shutdown begins: closes the connection now if it is waiting
  // for a request, else lets the current request finish and closes after its response.
  void drain();

 private:
  boost::asio::awaitable<void> serve();
  // Makes the response's audit events durable before it is sent (or queues them when the server
  // does not wait); turns the response into a 503 when they cannot be recorded.
  boost::asio::awaitable<void> make_durable(Response& response, const Request& request);
  // Writes a streamed body until it ends, the client goes away or shutdown begins.
  boost::asio::awaitable<void> stream_body(BodyStream& body);
  // Writes `bytes` within the write timeout. Returns false when the connection failed.
  boost::asio::awaitable<bool> write_all(std::string_view bytes);
  // Whether the client has sent bytes we have not read yet.
  bool bytes_waiting();

  boost::beast::tcp_stream stream_;
  Worker& worker_;
  SessionShared& shared_;
  std::list<Session*>::iterator registration_;
  std::string remote_ip_;
  std::string out_;  // the serialised response; its capacity is reused across requests
  std::shared_ptr<boost::asio::steady_timer> stream_timer_;  // while a body streams
  bool idle_ = false;
  bool linger_ = false;  // closed after an error answer: read what the client still sends first
  unsigned served_ = 0;
};

}  // namespace sg::http::detail
