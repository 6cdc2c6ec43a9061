// The operations endpoints: GET /healthz (the process is alive), GET /readyz (every dependency is
// usable and the server is not shutting down) and GET /metrics (Prometheus text).
//
// None needs authentication and none reveals more than a dependency's name and error code: details
// go to the log. The routes borrow the readiness checks, metrics and logger, which must outlive the
// router. Thread-safe.
#pragma once

#include <atomic>

#include "common/logger.hpp"
#include "http/metrics.hpp"
#include "http/readiness.hpp"
#include "http/router.hpp"

namespace sg::http::api {

struct OpsDeps {
  const Readiness& readiness;
  const HttpMetrics& metrics;
  Logger& log;
  const std::atomic<bool>& shutting_down;
};

void add_ops_routes(Router& router, OpsDeps deps);

}  // namespace sg::http::api
