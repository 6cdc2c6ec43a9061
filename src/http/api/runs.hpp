// The runs endpoints:
//
//   POST /v1/stacks/{org}/{project}/{stack}/runs  {"operation","message"?} → 202 and the run
//   GET  /v1/runs?stack&status&principal&cursor&limit   runs the caller may read, newest first
//   GET  /v1/runs/{id}
//   POST /v1/runs/{id}/cancel                     200 (it had not started) or 202 (it is stopping)
//   POST /v1/runs/{id}/approve
//   POST /v1/runs/{id}/reject                     {"reason"?}
//   GET  /v1/runs/{id}/events                     Server-Sent Events (replay, live tail,
//                                                 heartbeats, Last-Event-ID or ?after= resume)
//
// Every handler authenticates first (401). What the caller may do is the run service's decision
// (runs/run_service.hpp); a run the caller may not read is a 404, the same as a run that does not
// exist. Borrowed services must outlive the router. Thread-safe.
#pragma once

#include <chrono>

#include "common/logger.hpp"
#include "http/router.hpp"
#include "identity/authenticator.hpp"
#include "runs/run_service.hpp"

namespace sg::http::api {

struct RunsDeps {
  identity::Authenticator& auth;
  runs::RunService& runs;
  Logger& log;
  std::chrono::milliseconds heartbeat{15'000};  // SSE: a comment line after this long idle
};

void add_run_routes(Router& router, RunsDeps deps);

}  // namespace sg::http::api
