// HttpMetrics counts requests by route and status, their latency, and what is in flight, and
// renders everything (with build info and any extra gauges the app registers) in Prometheus text
// format.
//
// Counters live in one shard per worker thread so the request path never contends on a cache line;
// render() adds the shards up. Routes are the router's labels (read at render time; the router must
// outlive the metrics and hold at most kMaxRoutes labels), so label cardinality is bounded;
// statuses outside a fixed set are counted under "other". Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace sg::http {

class HttpMetrics {
 public:
  static constexpr std::size_t kMaxRoutes = 128;

  // `shards`: the number of worker threads.
  HttpMetrics(const Router& router, unsigned shards);

  // Records one finished request. `shard` is the worker's index (taken modulo the shard count).
  void observe(unsigned shard, std::size_t route_id, int status, std::uint64_t duration_ns);

  void add_in_flight(int delta) { in_flight_.fetch_add(delta, std::memory_order_relaxed); }
  void add_connections(int delta) { connections_.fetch_add(delta, std::memory_order_relaxed); }
  std::int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  std::int64_t connections() const { return connections_.load(std::memory_order_relaxed); }

  // Adds a gauge rendered at scrape time, e.g. policy generation or store readiness.
  // Call before the server starts.
  void add_gauge(std::string name, std::string help, std::function<double()> read);
  // Adds a counter (a value that only grows; its name ends in _total) rendered at scrape time.
  void add_counter(std::string name, std::string help, std::function<double()> read);

  // The whole exposition, Prometheus text format 0.0.4.
  std::string render() const;

  // Total requests seen for (route, status); for tests.
  std::uint64_t count(std::size_t route_id, int status) const;

  static constexpr std::array<double, 14> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

 private:
  static constexpr std::array<int, 27> kStatuses{200, 201, 202, 204, 301, 302, 304, 400, 401,
                                                 403, 404, 405, 408, 409, 410, 413, 415, 422,
                                                 429, 431, 500, 501, 502, 503, 504, 505, 0};
  static std::size_t status_slot(int status);

  struct RouteCells {
    std::array<std::atomic<std::uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> sum_ns{0};
  };
  struct alignas(64) Shard {
    explicit Shard(std::size_t routes) : cells(routes) {}
    std::vector<RouteCells> cells;
  };
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
    std::string_view type;  // "gauge" or "counter"
  };

  const Router& router_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::int64_t> connections_{0};
  std::vector<Gauge> gauges_;
};

}  // namespace sg::http
