// Response is what a handler returns: status, content type, body and extra headers.
//
// The session adds Content-Length, X-Request-Id and Connection. `content_type` must point to a
// string with static storage (use the constants below). Errors are built with
// error_response() (http/error_status.hpp) so every error body has the same shape. `audit` holds
// the audit events this answer depends on: the session sends the response only once they are
// durable, and answers 503 instead when they cannot be made durable (audit.fail_closed). `stream`,
// when set, is a body written as it becomes available (Server-Sent Events): the session sends the
// header without Content-Length, then what the stream gives, and closes the connection when it
// ends. Plain value type.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/event.hpp"

namespace sg::http {

inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::string_view kPlainText = "text/plain; charset=utf-8";
inline constexpr std::string_view kEventStream = "text/event-stream; charset=utf-8";

// A response body produced over time. The session calls read() and wait() on its own thread, one
// at a time; the wake callback given to wait() may be called from any thread, at most once per
// wait(). Implementations decide what "ready" means; they are owned by the session.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Appends what is ready now to `out` without blocking; returns false once the body is complete
  // (after appending its last bytes).
  virtual bool read(std::string& out) = 0;
  // Arranges for `wake` to be called once read() may give more (at once if it already may).
  // Replaces any earlier wait.
  virtual void wait(std::function<void()> wake) = 0;
  // The connection is done with the stream: drop any pending wait.
  virtual void close() = 0;
  // Bytes to send after `idle()` without anything to read, so proxies and clients see the
  // connection alive (an SSE comment line).
  virtual std::string_view heartbeat() const = 0;
  virtual std::chrono::milliseconds idle() const = 0;
};

struct Response {
  int status = 200;
  std::string_view content_type = kJson;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<audit::AuditEvent> audit;
  std::shared_ptr<BodyStream> stream;

  static Response json(int status, std::string body) {
    return Response{status, kJson, std::move(body), {}, {}, {}};
  }
};

}  // namespace sg::http
