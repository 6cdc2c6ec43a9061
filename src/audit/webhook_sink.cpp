#include "audit/webhook_sink.hpp"

#include <algorithm>
#include <utility>

#include "audit/json_lines.hpp"
#include "common/printable_url.hpp"

namespace sg::audit {
namespace {

// How many of `events` (at least one) go into the next request.
std::size_t next_chunk(std::span<const store::AuditRecord> events, std::size_t batch,
                       std::size_t max_bytes) {
  std::size_t n = 0;
  std::size_t bytes = 0;
  for (const store::AuditRecord& e : events) {
    if (n == batch) break;
    bytes += e.body.size() + 1;
    if (n > 0 && bytes > max_bytes) break;
    ++n;
  }
  return n;
}

std::string range_of(std::span<const store::AuditRecord> events) {
  return "events " + std::to_string(events.front().seq) + ".." + std::to_string(events.back().seq);
}

}  // namespace

WebhookSink::WebhookSink(Options options, std::unique_ptr<HttpPoster> poster)
    : options_(std::move(options)),
      poster_(std::move(poster)),
      name_("webhook:" + printable_url(options_.url)) {
  options_.batch = std::max<std::size_t>(options_.batch, 1);
}

Status WebhookSink::deliver(std::span<const store::AuditRecord> events) {
  while (!events.empty()) {
    const std::size_t n = next_chunk(events, options_.batch, options_.max_body_bytes);
    if (Status sent = post(events.first(n)); !sent) return sent;
    events = events.subspan(n);
  }
  return {};
}

Status WebhookSink::post(std::span<const store::AuditRecord> events) {
  body_.clear();
  append_json_lines(body_, events);
  HttpHeaders headers;
  if (options_.token) headers.emplace_back("Authorization", "Bearer " + *options_.token);
  headers.emplace_back("X-Stackgate-First-Seq", std::to_string(events.front().seq));
  headers.emplace_back("X-Stackgate-Last-Seq", std::to_string(events.back().seq));
  const std::string what = "audit sink " + name_ + ": " + range_of(events) + ": ";
  Result<HttpReply> reply =
      poster_->post(options_.url, kNdjsonContentType, body_, headers, options_.timeout);
  if (!reply) return make_error(reply.code(), what + reply.error().message);
  if (reply->status < 200 || reply->status > 299) {
    return make_error(Errc::kUnavailable,
                      what + "the endpoint answered " + std::to_string(reply->status));
  }
  return {};
}

}  // namespace sg::audit
