// The audit hash chain: each event's hash covers the hash of the event before it, so changing,
// removing, inserting or reordering any stored event breaks every hash after it.
//
// Exactly these bytes are hashed for an event (docs/audit.md shows a worked example):
//
//   hash = lower-case hex of SHA-256( prev_hash ‖ canonical JSON of the event without "hash" )
//
// where `prev_hash` is the 64 ASCII hex characters of the previous event's hash (64 '0' for the
// first event, seq 1) and the canonical JSON is audit/canonical_json.hpp's form (RFC 8785) of the
// event's JSON object (audit/event.hpp) with its `hash` member removed — `seq` and `prev_hash`
// included. No separator, no length prefix: the hex prefix has a fixed length. prev_hash is
// therefore hashed twice (as the prefix and as a member); the prefix keeps the chaining visible
// without parsing, the member keeps each stored event self-describing.
//
// The hash is computed from the parsed JSON object, not from stored text, so verifying needs no
// knowledge of the event model beyond these rules. Pure functions (no I/O, no clock); thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "audit/event.hpp"
#include "audit/event_text.hpp"
#include "common/result.hpp"

namespace sg::audit {

// The prev_hash of the first event.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The last event of a chain: seq 0 and kGenesisHash before the first event.
struct ChainHead {
  std::int64_t seq = 0;
  std::string hash = std::string(kGenesisHash);

  friend bool operator==(const ChainHead&, const ChainHead&) = default;
};

// The hash of an event given as its JSON object: its `prev_hash` member (which must be 64
// lower-case hex characters) followed by the canonical JSON of the object without `hash`.
// Errors: kInvalidArgument (no valid prev_hash, the object cannot be canonicalised, or it would
// be larger than kMaxEventBytes with its hash).
Result<std::string> event_hash(const boost::json::object& event_json);

// Puts `event` at the end of the chain after `head`: sets seq = head.seq + 1, prev_hash =
// head.hash, truncates time to whole milliseconds (the precision of the JSON form), checks the
// content (validate_content) and the size (the canonical JSON with its hash, as stored, at most
// kMaxEventBytes), and sets hash. Returns the new head; `event` is left unchanged on error. Errors:
// kInvalidArgument.
Result<ChainHead> seal(AuditEvent& event, const ChainHead& head);

// seal() that also hands back the event's canonical text, so its stored row (event_record.hpp)
// is written without canonicalising the event a second time.
Result<ChainHead> seal(AuditEvent& event, const ChainHead& head, EventText& text);

// Seals `events` in order after `head`; all or none. Errors: kInvalidArgument naming the position.
Result<ChainHead> seal_all(std::span<AuditEvent> events, const ChainHead& head);

}  // namespace sg::audit
