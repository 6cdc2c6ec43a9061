// CanonicalEventReader reads a stored event body in one pass over its text, without building a
// JSON object, when that text is exactly what audit/event_text.hpp writes for a valid event: the
// fast path of verification (audit/verify.hpp), which would otherwise parse the body, read it into
// an AuditEvent and write its canonical form again to compare.
//
// A body is read only when the reader is sure: members in canonical order (so no duplicates) and
// only those an event may have, with the types and rules from_json (audit/event.hpp) enforces; no
// whitespace; strings with exactly the escapes audit/canonical_json.hpp writes and valid UTF-8;
// integers in their plain decimal form within ±(2^53 − 1); `time` in format_rfc3339's form. It
// gives up — and the caller takes the general path, which finds and names the fault — on anything
// else, and also on valid canonical bodies it does not handle: escaped characters in the members
// compared with the row's columns (actor.subject, resource.stack, decision), escaped member names
// inside `details`, and `details` nested deeper than kMaxFastDepth. Whatever it accepts, the
// general path accepts too (tests/unit/audit/canonical_event_test.cpp holds it to that).
//
// Checks the text only: not the hash (the caller hashes `hashed_parts`), not the link to the
// previous event. Not synchronised (it caches the last second it validated): one reader per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sg::audit {

// Nesting (the event object is level 1) beyond which the reader leaves a body to the general path.
inline constexpr std::size_t kMaxFastDepth = 16;

// Views into the body read; valid while it is.
struct CanonicalEvent {
  std::int64_t seq = 0;
  std::string_view time;
  std::string_view type;
  std::optional<std::string_view> actor_subject;  // actor.subject, unescaped
  std::optional<std::string_view> stack;          // resource.stack, unescaped
  std::optional<std::string_view> decision;       // unescaped
  std::string_view prev_hash;
  std::string_view hash;
  // What the chain hashes after prev_hash: the body without its `"hash":"<64 hex>",` member,
  // as the text before and after it.
  std::array<std::string_view, 2> hashed_parts;
};

class CanonicalEventReader {
 public:
  // The event `body` holds when it is a canonical valid event this reader handles; nothing
  // otherwise (see above).
  std::optional<CanonicalEvent> read(std::string_view body);

 private:
  bool read_into(std::string_view body, CanonicalEvent& event);
  bool valid_time(std::string_view text);

  std::string valid_second_;  // "YYYY-MM-DDTHH:MM:SS" of the last time that passed every check
};

}  // namespace sg::audit
