// event_text writes an event's canonical JSON (RFC 8785, as audit/canonical_json.hpp defines it)
// straight from its fields, in member order, without building a JSON object first: the same bytes
// as canonical_json(to_json(event)), several times faster. The writer seals and stores every event
// through it; verification checks stored text against this form in one pass
// (audit/canonical_event.hpp) and keeps the general canonicaliser for text that is not in it.
//
// The text is produced without the `hash` member, with the offset where `"hash":"<64 hex>",`
// belongs (members are sorted, and `hash` is never the last one: `prev_hash`, `seq`, `time` and
// `type` always follow it). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "audit/event.hpp"
#include "common/result.hpp"

namespace sg::audit {

struct EventText {
  std::string without_hash;  // the canonical JSON of the event without `hash`: what is hashed
  std::size_t hash_at = 0;   // where the `hash` member goes in the stored form
};

// Errors: kInvalidArgument (a string that is not valid UTF-8, details that cannot be
// canonicalised).
Result<EventText> event_text(const AuditEvent& event);

// The stored form: `text` with `"hash":"<hash>",` at its place.
std::string with_hash(const EventText& text, std::string_view hash);

}  // namespace sg::audit
