// What bench_runs measures against: a RunService built as the app builds it — a fresh SQLite store
// (synchronous=FULL, so every commit is an fsync), a real AuditWriter over audit::AuditStore, a
// policy that lets one principal do what runs need on acme/*/*, a StackRegistry of `stacks` stacks
// over ten projects (acme/p<k>/s<i>), SystemClock, a Logger at info level writing to the
// descriptor given (/dev/null) — with the RunExecution factory the benchmark passes in and no
// credential source. Plus the figures' arithmetic and a probe of the disk's fsync latency.
//
// Bench-only: any setup failure ends the process with a message (fail()). Gateway is used from
// the benchmark's main thread; the service it owns is thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "audit/audit_store.hpp"
#include "audit/writer.hpp"
#include "catalog/stack_registry.hpp"
#include "common/clock.hpp"
#include "common/logger.hpp"
#include "policy/policy_holder.hpp"
#include "policy/principal.hpp"
#include "runs/run_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sg::bench {

using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what);

// Microseconds from `from` to `to`, and whole milliseconds.
double micros(SteadyClock::time_point from, SteadyClock::time_point to);
std::int64_t millis(SteadyClock::time_point from, SteadyClock::time_point to);

// {"median", "p99", "max"} of `samples` (nearest rank), rounded to integers; all 0 when empty.
boost::json::object distribution(std::vector<double> samples);

// Median and p99 of `count` 4 KiB writes each followed by fsync(2), in microseconds, on a file in
// `dir` (removed afterwards): what one SQLite commit waits for at least.
boost::json::object fsync_latency(const std::filesystem::path& dir, std::size_t count);

class Gateway {
 public:
  // Opens the store in `dir` (made afresh) and builds the service; start() starts it.
  Gateway(const std::filesystem::path& dir, std::size_t stacks, unsigned max_concurrent_runs,
          int log_fd, runs::RunExecutionFactory executions);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // recover() and start(); runs created before it start now.
  void start();
  // Creates a run as the benchmark's principal and returns it. Any error ends the process.
  store::RunRecord create(std::string_view stack, std::string_view operation);
  // How many runs the store holds with `status`.
  std::size_t count(std::string_view status);
  // The two durable writes a run's start is made of, each timed `samples` times on its own on
  // this store, once runs have finished: {"audit_us"} a run.started event through the writer
  // (its completion says durable), {"update_us"} Store::update_run of a finished run.
  boost::json::object commit_latency(std::size_t samples);

  runs::RunService& service() { return *service_; }
  const std::vector<std::string>& stacks() const { return stack_names_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  Logger log_;
  SystemClock clock_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<audit::AuditStore> audit_store_;
  std::unique_ptr<audit::AuditWriter> writer_;
  std::unique_ptr<policy::PolicyHolder> policy_;
  std::unique_ptr<catalog::StackRegistry> registry_;
  std::vector<std::string> stack_names_;
  policy::Principal who_;
  std::unique_ptr<runs::RunService> service_;
};

}  // namespace sg::bench
