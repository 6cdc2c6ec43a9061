// WebhookSink POSTs committed audit events to an HTTP endpoint (a SIEM's collector, a log
// pipeline), in batches.
//
// Each request carries at most `batch` events and, unless one event alone is larger, at most
// `max_body_bytes` of body: newline-delimited JSON (Content-Type: application/x-ndjson), one
// canonical event per line, in seq order, with the headers
//   Authorization: Bearer <token>      (only when a token is configured)
//   X-Stackgate-First-Seq: <seq of the first event in the body>
//   X-Stackgate-Last-Seq: <seq of the last event in the body>
// A 2xx answer means the events are delivered; any other status, or a transport failure, is an
// error and the runner retries later (so the endpoint may receive an event twice and should
// de-duplicate by seq). When deliver() is given more events than one request holds, it sends
// several requests in order and stops at the first failure. The token never appears in name(),
// in errors or in logs. Durable: the runner keeps its cursor in the store. Owned by its
// SinkRunner, with the poster it owns; deliver() from the runner's thread only.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "audit/http_poster.hpp"
#include "audit/sink.hpp"

namespace sg::audit {

inline constexpr std::string_view kNdjsonContentType = "application/x-ndjson";

class WebhookSink final : public Sink {
 public:
  struct Options {
    std::string url;                   // http or https (configuration allows http on loopback only)
    std::optional<std::string> token;  // sent as a bearer token; a secret
    std::size_t batch = 100;           // most events per request (at least 1)
    std::size_t max_body_bytes = 1024 * 1024;
    std::chrono::milliseconds timeout{10'000};  // per request
  };

  WebhookSink(Options options, std::unique_ptr<HttpPoster> poster);

  // "webhook:" and the URL without userinfo, query or fragment.
  std::string_view name() const override { return name_; }
  // Errors: kUnavailable, "audit sink webhook:<url>: events A..B: the endpoint answered <status>"
  // or "…: events A..B: <the poster's error>"; kInvalidArgument from the poster (a token with a
  // line break).
  Status deliver(std::span<const store::AuditRecord> events) override;
  bool durable() const override { return true; }

 private:
  Status post(std::span<const store::AuditRecord> events);

  Options options_;
  std::unique_ptr<HttpPoster> poster_;
  std::string name_;
  std::string body_;  // the request's body, reused between calls
};

}  // namespace sg::audit
