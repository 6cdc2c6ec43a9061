// Server accepts HTTP/1.1 connections and serves the router's routes on a pool of worker threads.
//
// One io_context per worker thread (threads = 0: one per core); a single acceptor hands each new
// connection to the next worker, and the connection stays on that thread for its whole life, so a
// session's state needs no locks. Limits and timeouts come from ServerConfig: header bytes (431),
// body bytes (413), malformed HTTP (400), read/idle/write timeouts (the connection is closed; a
// slow client cannot hold it), max_connections. Each request gets an X-Request-Id (the caller's if
// it is sane, else a new one) and one access-log line (never the Authorization header, never the
// query).
//
// Shutdown: begin_shutdown() closes the acceptor and idle kept-alive connections and marks the rest
// to close after their current response; wait_drained() waits for them up to a deadline; stop()
// ends the workers. The app owns the Server; it borrows the router, metrics and logger, which must
// outlive it. listen/start/stop from one controlling thread; begin_shutdown and wait_drained are
// thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/duration.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace sg::audit {
class AuditWriter;
}  // namespace sg::audit

namespace sg::http {

// Where responses' audit events go (Response::audit). `wait`: a response is sent only once its
// events are durable, and becomes a 503 when they cannot be (audit.fail_closed); otherwise the
// events are queued and the response goes at once. No writer: the events are dropped.
struct ServerAudit {
  audit::AuditWriter* writer = nullptr;
  bool wait = true;
};

class Server {
 public:
  Server(const config::ServerConfig& config, const Router& router, HttpMetrics& metrics,
         Logger& log, ServerAudit audit = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The number of worker threads the server will run (config.threads, or one per core).
  static unsigned worker_count(const config::ServerConfig& config);

  // Binds and listens. Errors: kUnavailable ("cannot listen on …: Address already in use").
  Status listen();
  // The bound port (useful with port 0).
  std::uint16_t port() const;

  // Starts the worker threads; returns at once.
  void start();

  // Stops accepting, closes idle connections, lets in-flight requests finish.
  void begin_shutdown();
  bool draining() const;

  // Waits until every connection has closed or `deadline` has passed; true if all closed.
  bool wait_drained(Duration deadline);

  // Stops the workers (abandoning whatever is still open) and joins them. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sg::http
