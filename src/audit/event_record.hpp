// event_record maps a sealed AuditEvent to the row the store keeps (store/audit_records.hpp) and
// checks a stored row's columns against its event.
//
// The row's body is the event's canonical JSON including `hash`; time, type, actor_subject,
// stack, decision and hash are copies of members of the body, kept for indexed filtering. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "audit/event.hpp"
#include "audit/event_text.hpp"
#include "common/result.hpp"
#include "store/audit_records.hpp"

namespace sg::audit {

// The row of a sealed event. Errors: kInvalidArgument (the event cannot be canonicalised).
Result<store::AuditRecord> to_record(const AuditEvent& sealed);

// The row of an event sealed with seal(event, head, text), from that text.
store::AuditRecord to_record(const AuditEvent& sealed, const EventText& text);

// The name of the first column of `record` (time, type, actor_subject, stack, decision, hash)
// that is not what `event` says, or nothing when all agree.
std::optional<std::string_view> differing_column(const store::AuditRecord& record,
                                                 const AuditEvent& event);

}  // namespace sg::audit
