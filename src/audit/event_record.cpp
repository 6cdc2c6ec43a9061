#include "audit/event_record.hpp"

#include "audit/canonical_json.hpp"
#include "audit/event_text.hpp"

namespace sg::audit {
namespace {

std::optional<std::string> actor_subject(const AuditEvent& e) {
  if (!e.actor) return std::nullopt;
  return e.actor->subject;
}

std::optional<std::string> stack(const AuditEvent& e) {
  if (!e.resource) return std::nullopt;
  return e.resource->stack;
}

}  // namespace

Result<store::AuditRecord> to_record(const AuditEvent& sealed) {
  Result<EventText> text = event_text(sealed);
  if (!text) return text.error();
  return to_record(sealed, *text);
}

store::AuditRecord to_record(const AuditEvent& sealed, const EventText& text) {
  return store::AuditRecord{sealed.seq,
                            format_rfc3339(sealed.time),
                            sealed.type,
                            actor_subject(sealed),
                            stack(sealed),
                            sealed.decision,
                            with_hash(text, sealed.hash),
                            sealed.hash};
}

std::optional<std::string_view> differing_column(const store::AuditRecord& record,
                                                 const AuditEvent& event) {
  if (record.time != format_rfc3339(event.time)) return "time";
  if (record.type != event.type) return "type";
  if (record.actor_subject != actor_subject(event)) return "actor_subject";
  if (record.stack != stack(event)) return "stack";
  if (record.decision != event.decision) return "decision";
  if (record.hash != event.hash) return "hash";
  return std::nullopt;
}

}  // namespace sg::audit
