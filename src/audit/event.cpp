#include "audit/event.hpp"

#include <algorithm>
#include <initializer_list>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "audit/canonical_json.hpp"
#include "audit/sha256.hpp"
#include "common/json_text.hpp"
#include "jose/json_reader.hpp"

namespace sg::audit {
namespace {

namespace bj = boost::json;

// The latest second that survives format_rfc3339 → parse_rfc3339 (Time holds nanoseconds in 64
// bits, up to April 2262), with a margin.
constexpr std::int64_t kLatestSecond = 9'000'000'000;  // 2255-03-14

Error invalid(std::string message) {
  return make_error(Errc::kInvalidArgument, "audit event: " + std::move(message));
}

// `name` quoted for a message, cut to a sane length.
std::string quoted(std::string_view name) {
  return json_quote(name.substr(0, 64));
}

// Refuses members not in `known`; `parent` names the enclosing member ("" at the top).
Status check_members(const bj::object& o, std::initializer_list<std::string_view> known,
                     std::string_view parent) {
  for (const bj::key_value_pair& kv : o) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end()) {
      return invalid("unknown member " + quoted(kv.key()) +
                     (parent.empty() ? "" : " in " + std::string(parent)));
    }
  }
  return {};
}

// Reads member `name` as a string into `out` when present. `required`: it must be there;
// `non_empty`: it must not be "".
Status read_string(const bj::object& o, std::string_view name, std::string_view where,
                   bool required, bool non_empty, std::optional<std::string>& out) {
  const bj::value* v = o.if_contains(name);
  if (v == nullptr) {
    if (required) return invalid(std::string(where) + std::string(name) + " is missing");
    return {};
  }
  if (!v->is_string()) return invalid(std::string(where) + std::string(name) + " must be a string");
  if (non_empty && v->get_string().empty()) {
    return invalid(std::string(where) + std::string(name) + " must not be empty");
  }
  out = std::string(v->get_string());
  return {};
}

Status read_required(const bj::object& o, std::string_view name, std::string_view where,
                     std::string& out) {
  std::optional<std::string> value;
  if (Status s = read_string(o, name, where, true, true, value); !s) return s;
  out = std::move(*value);
  return {};
}

Status read_hash(const bj::object& o, std::string_view name, std::string& out) {
  if (Status s = read_required(o, name, "", out); !s) return s;
  if (!is_sha256_hex(out)) return invalid(std::string(name) + " must be 64 lower-case hex digits");
  return {};
}

Result<AuditActor> read_actor(const bj::value& v) {
  if (!v.is_object()) return invalid("actor must be an object");
  const bj::object& o = v.get_object();
  constexpr std::string_view kWhere = "actor.";
  if (Status s = check_members(o, {"subject", "issuer", "kind", "name", "email", "act"}, "actor");
      !s) {
    return s.error();
  }
  AuditActor a;
  if (Status s = read_required(o, "subject", kWhere, a.subject); !s) return s.error();
  if (Status s = read_required(o, "issuer", kWhere, a.issuer); !s) return s.error();
  if (Status s = read_required(o, "kind", kWhere, a.kind); !s) return s.error();
  if (Status s = read_string(o, "name", kWhere, false, false, a.name); !s) return s.error();
  if (Status s = read_string(o, "email", kWhere, false, false, a.email); !s) return s.error();
  if (const bj::value* act = o.if_contains("act")) {
    if (!act->is_array() || act->get_array().empty()) {
      return invalid("actor.act must be a non-empty array of strings");
    }
    for (const bj::value& entry : act->get_array()) {
      if (!entry.is_string() || entry.get_string().empty()) {
        return invalid("actor.act must be a non-empty array of strings");
      }
      a.act.emplace_back(entry.get_string());
    }
  }
  return a;
}

Result<AuditResource> read_resource(const bj::value& v) {
  if (!v.is_object()) return invalid("resource must be an object");
  const bj::object& o = v.get_object();
  if (Status s = check_members(o, {"stack"}, "resource"); !s) return s.error();
  AuditResource r;
  if (Status s = read_required(o, "stack", "resource.", r.stack); !s) return s.error();
  return r;
}

Result<AuditRequest> read_request(const bj::value& v) {
  if (!v.is_object()) return invalid("request must be an object");
  const bj::object& o = v.get_object();
  constexpr std::string_view kWhere = "request.";
  if (Status s = check_members(o, {"id", "ip", "user_agent"}, "request"); !s) return s.error();
  AuditRequest r;
  if (Status s = read_required(o, "id", kWhere, r.id); !s) return s.error();
  if (Status s = read_string(o, "ip", kWhere, false, false, r.ip); !s) return s.error();
  if (Status s = read_string(o, "user_agent", kWhere, false, false, r.user_agent); !s) {
    return s.error();
  }
  return r;
}

Result<std::int64_t> read_seq(const bj::object& o) {
  const bj::value* v = o.if_contains("seq");
  if (v == nullptr) return invalid("seq is missing");
  if (v->is_int64() && v->get_int64() >= 1 && v->get_int64() <= kMaxSafeInteger) {
    return v->get_int64();
  }
  if (v->is_uint64() && v->get_uint64() >= 1 &&
      v->get_uint64() <= static_cast<std::uint64_t>(kMaxSafeInteger)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  return invalid("seq must be an integer from 1 to 2^53 - 1");
}

Result<Time> read_time(const bj::object& o) {
  std::string text;
  if (Status s = read_required(o, "time", "", text); !s) return s.error();
  Result<Time> t = parse_rfc3339(text);
  // Only the form format_rfc3339 writes, so one instant has one text (and one hash).
  if (!t || format_rfc3339(*t) != text) {
    return invalid("time must be RFC 3339 in UTC with milliseconds, e.g. 2026-11-29T04:30:41.123Z");
  }
  return *t;
}

void put_optional(bj::object& o, std::string_view name, const std::optional<std::string>& v) {
  if (v) o[name] = *v;
}

}  // namespace

bool is_event_type(std::string_view type) {
  if (type.empty() || type.size() > 64) return false;
  std::size_t words = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = std::min(type.find('.', start), type.size());
    const std::string_view word = type.substr(start, dot - start);
    if (word.empty() || word[0] < 'a' || word[0] > 'z') return false;
    for (char c : word) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    ++words;
    if (dot == type.size()) break;
    start = dot + 1;
  }
  return words >= 2;
}

bool is_event_time(Time time) {
  return time >= Time{} && unix_seconds(time) < kLatestSecond;
}

Status validate_content(const AuditEvent& e) {
  if (!is_event_type(e.type)) {
    return invalid("type must be lower-case words joined by dots, e.g. authz.decision");
  }
  if (!is_event_time(e.time)) {
    return invalid("time must be between 1970 and 2255");
  }
  if (e.actor) {
    if (e.actor->subject.empty()) return invalid("actor.subject must not be empty");
    if (e.actor->issuer.empty()) return invalid("actor.issuer must not be empty");
    if (e.actor->kind.empty()) return invalid("actor.kind must not be empty");
    for (const std::string& agent : e.actor->act) {
      if (agent.empty()) return invalid("actor.act must not hold an empty subject");
    }
  }
  if (e.resource && e.resource->stack.empty()) return invalid("resource.stack must not be empty");
  if (e.request && e.request->id.empty()) return invalid("request.id must not be empty");
  return {};
}

bj::object to_json(const AuditEvent& e) {
  bj::object o;
  o["seq"] = e.seq;
  o["time"] = format_rfc3339(e.time);
  o["type"] = e.type;
  if (e.actor) {
    bj::object actor;
    actor["subject"] = e.actor->subject;
    actor["issuer"] = e.actor->issuer;
    actor["kind"] = e.actor->kind;
    put_optional(actor, "name", e.actor->name);
    put_optional(actor, "email", e.actor->email);
    if (!e.actor->act.empty()) {
      bj::array act;
      for (const std::string& agent : e.actor->act)
        act.emplace_back(agent);
      actor["act"] = std::move(act);
    }
    o["actor"] = std::move(actor);
  }
  if (e.resource) o["resource"] = bj::object{{"stack", e.resource->stack}};
  put_optional(o, "action", e.action);
  put_optional(o, "decision", e.decision);
  put_optional(o, "reason", e.reason);
  put_optional(o, "run_id", e.run_id);
  if (e.request) {
    bj::object request;
    request["id"] = e.request->id;
    put_optional(request, "ip", e.request->ip);
    put_optional(request, "user_agent", e.request->user_agent);
    o["request"] = std::move(request);
  }
  if (!e.details.empty()) o["details"] = e.details;
  o["prev_hash"] = e.prev_hash;
  o["hash"] = e.hash;
  return o;
}

Result<AuditEvent> from_json(const bj::object& o) {
  if (Status s = check_members(o,
                               {"seq", "time", "type", "actor", "resource", "action", "decision",
                                "reason", "run_id", "request", "details", "prev_hash", "hash"},
                               "");
      !s) {
    return s.error();
  }
  AuditEvent e;
  Result<std::int64_t> seq = read_seq(o);
  if (!seq) return seq.error();
  e.seq = *seq;
  Result<Time> time = read_time(o);
  if (!time) return time.error();
  e.time = *time;
  if (Status s = read_required(o, "type", "", e.type); !s) return s.error();
  if (const bj::value* v = o.if_contains("actor")) {
    Result<AuditActor> actor = read_actor(*v);
    if (!actor) return actor.error();
    e.actor = std::move(*actor);
  }
  if (const bj::value* v = o.if_contains("resource")) {
    Result<AuditResource> resource = read_resource(*v);
    if (!resource) return resource.error();
    e.resource = std::move(*resource);
  }
  if (Status s = read_string(o, "action", "", false, false, e.action); !s) return s.error();
  if (Status s = read_string(o, "decision", "", false, false, e.decision); !s) return s.error();
  if (Status s = read_string(o, "reason", "", false, false, e.reason); !s) return s.error();
  if (Status s = read_string(o, "run_id", "", false, false, e.run_id); !s) return s.error();
  if (const bj::value* v = o.if_contains("request")) {
    Result<AuditRequest> request = read_request(*v);
    if (!request) return request.error();
    e.request = std::move(*request);
  }
  if (const bj::value* v = o.if_contains("details")) {
    if (!v->is_object() || v->get_object().empty()) {
      return invalid("details must be a non-empty object");
    }
    if (Result<std::string> c = canonical_json(*v); !c) {
      return invalid("details: " + c.error().message);
    }
    e.details = v->get_object();
  }
  if (Status s = read_hash(o, "prev_hash", e.prev_hash); !s) return s.error();
  if (Status s = read_hash(o, "hash", e.hash); !s) return s.error();
  if (Status s = validate_content(e); !s) return s.error();
  return e;
}

Result<AuditEvent> parse_event(std::string_view text) {
  Result<bj::object> json = jose::parse_strict_object(text, {kMaxEventBytes, kMaxCanonicalDepth},
                                                      "audit event", Errc::kInvalidArgument);
  if (!json) return json.error();
  return from_json(*json);
}

std::string clean_text(std::string_view text, std::size_t max_bytes) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    const std::string_view piece = n == 0 ? kReplacement : text.substr(i, n);
    if (out.size() + piece.size() > max_bytes) break;
    out.append(piece);
    i += n == 0 ? 1 : n;
  }
  return out;
}

}  // namespace sg::audit
