// Response is what a handler returns: status, content type, body and extra headers.
//
// The session adds Content-Length, X-Request-Id and Connection. `content_type` must point to a
// string with static storage (use the constants below). Errors are built with
// error_response() (http/error_status.hpp) so every error body has the same shape. `audit` holds
// the audit events this answer depends on: the session sends the response only once they are
// durable, and answers 503 instead when they cannot be made durable (audit.fail_closed). Plain
// value type.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/event.hpp"

namespace sg::http {

inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::string_view kPlainText = "text/plain; charset=utf-8";

struct Response {
  int status = 200;
  std::string_view content_type = kJson;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<audit::AuditEvent> audit;

  static Response json(int status, std::string body) {
    return Response{status, kJson, std::move(body), {}, {}};
  }
};

}  // namespace sg::http
