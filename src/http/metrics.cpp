#include "http/metrics.hpp"

#include <algorithm>
#include <charconv>

#include "common/build_info.hpp"

namespace sg::http {
namespace {

// Plain decimal ("0.0005", "10"), never exponent form: bucket bounds must read the same everywhere.
void append_double(std::string& out, double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  out.append(buf, r.ptr);
}

// Label values are route patterns and build strings: escape as the format requires.
void append_label(std::string& out, std::string_view v) {
  out.push_back('"');
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void append_header(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type) {
  out += "# HELP ";
  out += name;
  out.push_back(' ');
  out += help;
  out += "\n# TYPE ";
  out += name;
  out.push_back(' ');
  out += type;
  out.push_back('\n');
}

}  // namespace

HttpMetrics::HttpMetrics(const Router& router, unsigned shards) : router_(router) {
  if (shards == 0) shards = 1;
  for (unsigned i = 0; i < shards; ++i)
    shards_.push_back(std::make_unique<Shard>(kMaxRoutes));
}

std::size_t HttpMetrics::status_slot(int status) {
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) return i;
  }
  return kStatuses.size() - 1;
}

void HttpMetrics::observe(unsigned shard, std::size_t route_id, int status,
                          std::uint64_t duration_ns) {
  if (route_id >= kMaxRoutes) return;
  RouteCells& cells = shards_[shard % shards_.size()]->cells[route_id];
  cells.by_status[status_slot(status)].fetch_add(1, std::memory_order_relaxed);
  double seconds = static_cast<double>(duration_ns) / 1e9;
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b])
    ++b;
  cells.buckets[b].fetch_add(1, std::memory_order_relaxed);
  cells.sum_ns.fetch_add(duration_ns, std::memory_order_relaxed);
}

void HttpMetrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read), "gauge"});
}

void HttpMetrics::add_counter(std::string name, std::string help, std::function<double()> read) {
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read), "counter"});
}

std::uint64_t HttpMetrics::count(std::size_t route_id, int status) const {
  std::uint64_t total = 0;
  if (route_id >= kMaxRoutes) return 0;
  for (const auto& shard : shards_) {
    total += shard->cells[route_id].by_status[status_slot(status)].load(std::memory_order_relaxed);
  }
  return total;
}

std::string HttpMetrics::render() const {
  const std::vector<std::string>& routes = router_.labels();
  const std::size_t route_count = std::min(routes.size(), kMaxRoutes);
  std::string out;
  out.reserve(4096);

  const BuildInfo& info = build_info();
  append_header(out, "stackgate_build_info", "Build of the running binary.", "gauge");
  out += "stackgate_build_info{version=";
  append_label(out, info.version);
  out += ",commit=";
  append_label(out, info.commit);
  out += "} 1\n";

  append_header(out, "stackgate_http_requests_total", "HTTP requests by route and status.",
                "counter");
  for (std::size_t r = 0; r < route_count; ++r) {
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      std::uint64_t n = 0;
      for (const auto& shard : shards_)
        n += shard->cells[r].by_status[s].load();
      if (n == 0) continue;
      out += "stackgate_http_requests_total{route=";
      append_label(out, routes[r]);
      out += ",status=\"";
      out += kStatuses[s] == 0 ? "other" : std::to_string(kStatuses[s]);
      out += "\"} ";
      out += std::to_string(n);
      out.push_back('\n');
    }
  }

  append_header(out, "stackgate_http_request_duration_seconds",
                "Time from a complete request to its response, by route.", "histogram");
  for (std::size_t r = 0; r < route_count; ++r) {
    std::array<std::uint64_t, kBuckets.size() + 1> buckets{};
    std::uint64_t sum_ns = 0;
    for (const auto& shard : shards_) {
      const RouteCells& c = shard->cells[r];
      for (std::size_t b = 0; b < buckets.size(); ++b)
        buckets[b] += c.buckets[b].load();
      sum_ns += c.sum_ns.load();
    }
    std::uint64_t cumulative = 0;
    for (std::uint64_t b : buckets)
      cumulative += b;
    if (cumulative == 0) continue;
    cumulative = 0;
    for (std::size_t b = 0; b < buckets.size(); ++b) {
      cumulative += buckets[b];
      out += "stackgate_http_request_duration_seconds_bucket{route=";
      append_label(out, routes[r]);
      out += ",le=\"";
      if (b < kBuckets.size()) {
        append_double(out, kBuckets[b]);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      out += std::to_string(cumulative);
      out.push_back('\n');
    }
    out += "stackgate_http_request_duration_seconds_sum{route=";
    append_label(out, routes[r]);
    out += "} ";
    append_double(out, static_cast<double>(sum_ns) / 1e9);
    out += "\nstackgate_http_request_duration_seconds_count{route=";
    append_label(out, routes[r]);
    out += "} ";
    out += std::to_string(cumulative);
    out.push_back('\n');
  }

  append_header(out, "stackgate_http_requests_in_flight", "Requests being handled now.", "gauge");
  out += "stackgate_http_requests_in_flight " + std::to_string(in_flight()) + "\n";
  append_header(out, "stackgate_http_connections_open", "Open client connections.", "gauge");
  out += "stackgate_http_connections_open " + std::to_string(connections()) + "\n";

  for (const Gauge& g : gauges_) {
    append_header(out, g.name, g.help, g.type);
    out += g.name;
    out.push_back(' ');
    append_double(out, g.read());
    out.push_back('\n');
  }
  return out;
}

}  // namespace sg::http
