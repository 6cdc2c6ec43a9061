// App builds every service from one Config, owns their lifetimes, and starts and stops them in
// order.
//
// create() opens the store (migrating it), registers readiness checks and routes, and prepares the
// HTTP server; start() binds and starts serving; run_until_signal() blocks until SIGTERM or SIGINT,
// then shuts down gracefully: /readyz turns 503, the acceptor closes, idle connections close,
// in-flight requests get `server.shutdown_grace` to finish, then everything stops. The Config and
// the Logger are borrowed and must outlive the App. Used from the main thread only.
#pragma once

#include <atomic>
#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>

#include "common/logger.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "keys/key_encryption_key.hpp"

namespace sg::app {

class App {
 public:
  struct Options {
    bool dev = false;  // `serve --dev`: development-only features are enabled
  };

  // Errors: kStoreUnavailable, kStoreTooNew, kInvalidConfig.
  static Result<std::unique_ptr<App>> create(const config::Config& config, Logger& log,
                                             Options options);
  ~App();

  // Binds the listener and starts the workers. Errors: kUnavailable.
  Status start();
  std::uint16_t port() const;

  // Blocks the signals the app handles; call before any thread is started so every thread
  // inherits the mask and only run_until_signal() receives them.
  static void block_signals();

  // Waits for SIGTERM/SIGINT, then shuts down. Returns the process exit code (0 when every
  // in-flight request finished within the grace period, 1 otherwise).
  int run_until_signal();

  // The same graceful shutdown, triggered directly.
  bool shutdown();

 private:
  struct Impl;
  explicit App(std::unique_ptr<Impl> impl);
  // Builds the token key ring, revocation list and minter into `impl` (app.cpp).
  static Status start_issuing(Impl& impl, const std::optional<keys::KeyEncryptionKey>& kek);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sg::app
