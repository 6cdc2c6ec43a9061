#include "audit/event_text.hpp"

#include <charconv>

#include "audit/canonical_json.hpp"

namespace sg::audit {
namespace {

// Writes members in the order given (which must be canonical order), with commas between them.
class MemberWriter {
 public:
  explicit MemberWriter(std::string& out) : out_(out) { out_.push_back('{'); }

  void name(std::string_view n) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(n);  // member names here are ASCII without characters to escape
    out_.append("\":");
  }
  Status string(std::string_view n, std::string_view value) {
    name(n);
    return append_canonical_string(out_, value);
  }
  Status optional(std::string_view n, const std::optional<std::string>& value) {
    return value ? string(n, *value) : Status{};
  }
  void integer(std::string_view n, std::int64_t value) {
    name(n);
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out_.append(buf, r.ptr);
  }
  void end() { out_.push_back('}'); }
  // Marks that the next member follows an existing one (for text written around a gap).
  bool first() const { return first_; }

 private:
  std::string& out_;
  bool first_ = true;
};

Status write_actor(std::string& out, const AuditActor& a) {
  MemberWriter w(out);
  if (!a.act.empty()) {
    w.name("act");
    out.push_back('[');
    for (std::size_t i = 0; i < a.act.size(); ++i) {
      if (i > 0) out.push_back(',');
      if (Status s = append_canonical_string(out, a.act[i]); !s) return s;
    }
    out.push_back(']');
  }
  if (Status s = w.optional("email", a.email); !s) return s;
  if (Status s = w.string("issuer", a.issuer); !s) return s;
  if (Status s = w.string("kind", a.kind); !s) return s;
  if (Status s = w.optional("name", a.name); !s) return s;
  if (Status s = w.string("subject", a.subject); !s) return s;
  w.end();
  return {};
}

Status write_request(std::string& out, const AuditRequest& r) {
  MemberWriter w(out);
  if (Status s = w.string("id", r.id); !s) return s;
  if (Status s = w.optional("ip", r.ip); !s) return s;
  if (Status s = w.optional("user_agent", r.user_agent); !s) return s;
  w.end();
  return {};
}

}  // namespace

Result<EventText> event_text(const AuditEvent& e) {
  EventText t;
  std::string& out = t.without_hash;
  out.reserve(1024);
  MemberWriter w(out);
  if (Status s = w.optional("action", e.action); !s) return s.error();
  if (e.actor) {
    w.name("actor");
    if (Status s = write_actor(out, *e.actor); !s) return s.error();
  }
  if (Status s = w.optional("decision", e.decision); !s) return s.error();
  if (!e.details.empty()) {
    w.name("details");
    if (Status s = append_canonical_json(out, e.details); !s) return s.error();
  }
  // `hash` sorts here; prev_hash always follows, so the member goes before it with its comma.
  t.hash_at = out.size() + (w.first() ? 0 : 1);
  if (Status s = w.string("prev_hash", e.prev_hash); !s) return s.error();
  if (Status s = w.optional("reason", e.reason); !s) return s.error();
  if (e.request) {
    w.name("request");
    if (Status s = write_request(out, *e.request); !s) return s.error();
  }
  if (e.resource) {
    w.name("resource");
    MemberWriter r(out);
    if (Status s = r.string("stack", e.resource->stack); !s) return s.error();
    r.end();
  }
  if (Status s = w.optional("run_id", e.run_id); !s) return s.error();
  if (e.seq > kMaxSafeInteger || e.seq < -kMaxSafeInteger) {
    return make_error(Errc::kInvalidArgument,
                      "cannot canonicalise JSON: seq is outside ±(2^53 - 1)");
  }
  w.integer("seq", e.seq);
  if (Status s = w.string("time", format_rfc3339(e.time)); !s) return s.error();
  if (Status s = w.string("type", e.type); !s) return s.error();
  w.end();
  return t;
}

std::string with_hash(const EventText& text, std::string_view hash) {
  std::string out;
  out.reserve(text.without_hash.size() + hash.size() + 10);
  out.append(text.without_hash, 0, text.hash_at);
  out.append("\"hash\":\"");
  out.append(hash);
  out.append("\",");
  out.append(text.without_hash, text.hash_at);
  return out;
}

}  // namespace sg::audit
