#include "audit/chain.hpp"

#include <chrono>
#include <vector>

#include "audit/canonical_json.hpp"
#include "audit/event_text.hpp"
#include "audit/sha256.hpp"

namespace sg::audit {

Result<std::string> event_hash(const boost::json::object& event_json) {
  const boost::json::value* prev = event_json.if_contains("prev_hash");
  if (prev == nullptr || !prev->is_string() || !is_sha256_hex(prev->get_string())) {
    return make_error(Errc::kInvalidArgument,
                      "audit event: prev_hash must be 64 lower-case hex digits");
  }
  Result<std::string> canonical = canonical_json_without(event_json, "hash");
  if (!canonical) return canonical.error();
  // The stored body is this plus `,"hash":"<64 hex>"`: 74 bytes, wherever the member sorts.
  constexpr std::size_t kHashMemberBytes = 74;
  if (canonical->size() + kHashMemberBytes > kMaxEventBytes) {
    return make_error(Errc::kInvalidArgument,
                      "audit event: larger than " + std::to_string(kMaxEventBytes) + " bytes");
  }
  return sha256_hex({std::string_view(prev->get_string()), *canonical});
}

Result<ChainHead> seal(AuditEvent& event, const ChainHead& head, EventText& text_out) {
  if (head.seq < 0 || !is_sha256_hex(head.hash)) {
    return make_error(Errc::kInvalidArgument, "audit chain: the head is not a valid chain head");
  }
  // Sealed in place rather than in a copy (the writer's hot path): the four members it sets are
  // put back on error, so `event` is left unchanged.
  const std::int64_t old_seq = event.seq;
  const Time old_time = event.time;
  std::string old_prev_hash = std::move(event.prev_hash);
  std::string old_hash = std::move(event.hash);
  const auto refuse = [&](Error error) -> Result<ChainHead> {
    event.seq = old_seq;
    event.time = old_time;
    event.prev_hash = std::move(old_prev_hash);
    event.hash = std::move(old_hash);
    return error;
  };
  event.seq = head.seq + 1;
  event.prev_hash = head.hash;
  event.time = std::chrono::floor<std::chrono::milliseconds>(event.time);
  event.hash.clear();
  if (Status s = validate_content(event); !s) return refuse(s.error());
  // The same bytes event_hash(to_json(event)) hashes, written without building the object.
  Result<EventText> text = event_text(event);
  if (!text) return refuse(text.error());
  constexpr std::size_t kHashMemberBytes = 74;  // `"hash":"<64 hex>",`
  if (text->without_hash.size() + kHashMemberBytes > kMaxEventBytes) {
    return refuse(
        make_error(Errc::kInvalidArgument,
                   "audit event: larger than " + std::to_string(kMaxEventBytes) + " bytes"));
  }
  event.hash = sha256_hex({std::string_view(event.prev_hash), text->without_hash});
  text_out = std::move(*text);
  return ChainHead{event.seq, event.hash};
}

Result<ChainHead> seal(AuditEvent& event, const ChainHead& head) {
  EventText unused;
  return seal(event, head, unused);
}

Result<ChainHead> seal_all(std::span<AuditEvent> events, const ChainHead& head) {
  std::vector<AuditEvent> sealed(events.begin(), events.end());
  ChainHead current = head;
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    Result<ChainHead> next = seal(sealed[i], current);
    if (!next) {
      return make_error(next.code(), "event " + std::to_string(i + 1) + " of " +
                                         std::to_string(sealed.size()) + ": " +
                                         next.error().message);
    }
    current = std::move(*next);
  }
  std::move(sealed.begin(), sealed.end(), events.begin());
  return current;
}

}  // namespace sg::audit
