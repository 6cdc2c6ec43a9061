#include "policy/principal_json.hpp"

#include <algorithm>
#include <optional>

#include <boost/json/array.hpp>

#include "common/json_text.hpp"
#include "config/suggest.hpp"

namespace sg::policy {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxQuotedField = 40;

std::string_view got(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return "a string";
    case json::kind::object:
      return "an object";
    case json::kind::array:
      return "an array";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::null:
      return "null";
    default:
      return "a number";
  }
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  a.reserve(v.size());
  for (const std::string& s : v)
    a.emplace_back(s);
  return a;
}

// Reads one object; the first problem wins and names its field.
class Reader {
 public:
  Reader(const json::object& o, std::string* bad_field) : o_(o), bad_field_(bad_field) {}

  bool failed() const { return error_.has_value(); }
  Error error() const { return *error_; }

  const json::value* find(std::string_view field) const { return o_.if_contains(field); }

  void fail(std::string_view field, std::string message) {
    if (error_) return;
    if (bad_field_ != nullptr) *bad_field_ = std::string(field);
    error_ = make_error(Errc::kInvalidArgument, std::string(field) + ": " + message);
  }

  bool string_value(std::string_view field, std::string_view label, const json::value& v,
                    std::string& out) {
    if (!v.is_string()) {
      fail(field, std::string(label) + "expected a string, got " + std::string(got(v)));
      return false;
    }
    const json::string& s = v.get_string();
    if (s.size() > kMaxPrincipalStringBytes) {
      fail(field, std::string(label) + "longer than " + std::to_string(kMaxPrincipalStringBytes) +
                      " bytes");
      return false;
    }
    out.assign(s.data(), s.size());
    return true;
  }

  void string(std::string_view field, std::string& out) {
    if (const json::value* v = find(field)) string_value(field, "", *v, out);
  }

  void list(std::string_view field, std::vector<std::string>& out) {
    const json::value* v = find(field);
    if (v == nullptr) return;
    if (!v->is_array()) {
      fail(field, "expected an array of strings, got " + std::string(got(*v)));
      return;
    }
    const json::array& a = v->get_array();
    if (a.size() > kMaxPrincipalListItems) {
      fail(field, "at most " + std::to_string(kMaxPrincipalListItems) + " items");
      return;
    }
    out.clear();
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string item;
      if (!string_value(field, "item " + std::to_string(i + 1) + ": ", a[i], item)) return;
      out.push_back(std::move(item));
    }
  }

 private:
  const json::object& o_;
  std::string* bad_field_;
  std::optional<Error> error_;
};

// Counts the values of `v` (itself included) into `count`; false when a value sits inside more
// than kMaxClaimsDepth containers (the claims object counts) or when the count passes
// kMaxClaimsValues.
bool claims_within_bounds(const json::value& v, std::size_t depth, std::size_t& count) {
  if (++count > kMaxClaimsValues || depth > kMaxClaimsDepth) return false;
  if (v.is_object()) {
    for (const auto& m : v.get_object()) {
      if (!claims_within_bounds(m.value(), depth + 1, count)) return false;
    }
  } else if (v.is_array()) {
    for (const json::value& e : v.get_array()) {
      if (!claims_within_bounds(e, depth + 1, count)) return false;
    }
  }
  return true;
}

void read_claims(Reader& r, Principal& p) {
  const json::value* v = r.find("claims");
  if (v == nullptr) return;
  if (!v->is_object()) {
    r.fail("claims", "expected an object, got " + std::string(got(*v)));
    return;
  }
  std::size_t count = 0;
  if (!claims_within_bounds(*v, 0, count)) {
    r.fail("claims", "deeper than " + std::to_string(kMaxClaimsDepth) + " levels or more than " +
                         std::to_string(kMaxClaimsValues) + " values");
    return;
  }
  p.claims = v->get_object();
}

void read_kind(Reader& r, Principal& p) {
  std::string kind;
  const json::value* v = r.find("kind");
  if (v == nullptr || !r.string_value("kind", "", *v, kind)) return;
  if (kind == "user") {
    p.kind = PrincipalKind::kUser;
  } else if (kind == "machine") {
    p.kind = PrincipalKind::kMachine;
  } else {
    r.fail("kind", "expected \"user\" or \"machine\"");
  }
}

void read_scope(Reader& r, Principal& p) {
  std::string text;
  const json::value* v = r.find("scope");
  if (v == nullptr || !r.string_value("scope", "", *v, text)) return;
  auto scope = Scope::parse(text);
  if (!scope) {
    r.fail("scope", scope.error().message);
    return;
  }
  p.scope = std::move(*scope);
}

void read_expiry(Reader& r, Principal& p) {
  const json::value* v = r.find("expires_at");
  if (v == nullptr) return;
  if (v->is_int64() && v->get_int64() >= 0) {
    p.expires_at = v->get_int64();
    return;
  }
  r.fail("expires_at",
         "expected a non-negative integer (seconds since the epoch), got " +
             std::string(v->is_number() ? "a negative, fractional or too large number" : got(*v)));
}

}  // namespace

boost::json::object principal_to_json(const Principal& p) {
  json::object o;
  o["subject"] = p.subject;
  o["issuer"] = p.issuer;
  o["kind"] = p.kind == PrincipalKind::kMachine ? "machine" : "user";
  o["email"] = p.email;
  o["name"] = p.name;
  o["team"] = p.team;
  o["groups"] = strings(p.groups);
  o["ownership"] = strings(p.ownership);
  o["act"] = strings(p.act);
  o["expires_at"] = p.expires_at;
  if (p.scope) o["scope"] = p.scope->to_string();
  if (p.actor) o["actor"] = principal_to_json(*p.actor);
  return o;
}

Result<Principal> principal_from_json(const boost::json::value& v, std::string* bad_field) {
  if (bad_field != nullptr) bad_field->clear();
  if (!v.is_object()) {
    return make_error(Errc::kInvalidArgument,
                      "principal: expected an object, got " + std::string(got(v)));
  }
  const json::object& o = v.get_object();
  for (const auto& m : o) {
    std::string_view key(m.key().data(), m.key().size());
    if (std::ranges::find(kPrincipalJsonFields, key) != kPrincipalJsonFields.end()) continue;
    std::string shown = key.size() <= kMaxQuotedField
                            ? json_quote(key)
                            : json_quote(key.substr(0, kMaxQuotedField)) + "…";
    if (bad_field != nullptr) *bad_field = std::string(key);
    return make_error(Errc::kInvalidArgument,
                      "unknown field " + shown + config::did_you_mean(key, kPrincipalJsonFields));
  }
  Principal p;
  Reader r(o, bad_field);
  if (r.find("subject") == nullptr) {
    r.fail("subject", "missing; it is required");
  } else {
    r.string("subject", p.subject);
    if (!r.failed() && p.subject.empty()) r.fail("subject", "must not be empty");
  }
  r.string("issuer", p.issuer);
  read_kind(r, p);
  r.string("email", p.email);
  r.string("name", p.name);
  r.string("team", p.team);
  r.list("groups", p.groups);
  r.list("ownership", p.ownership);
  r.list("act", p.act);
  read_claims(r, p);
  read_scope(r, p);
  read_expiry(r, p);
  if (r.failed()) return r.error();
  if (const json::value* actor = o.if_contains("actor"); actor != nullptr) {
    // One level only: an actor's own earlier actors are informational (`act`), never evaluated.
    if (actor->is_object() && actor->get_object().contains("actor")) {
      if (bad_field != nullptr) *bad_field = "actor";
      return make_error(
          Errc::kInvalidArgument,
          "actor: an acting agent has no actor of its own (list earlier ones in act)");
    }
    std::string inner;
    Result<Principal> agent = principal_from_json(*actor, &inner);
    if (!agent) {
      if (bad_field != nullptr) *bad_field = "actor." + inner;
      return make_error(Errc::kInvalidArgument, "actor." + agent.error().message);
    }
    p.actor = std::make_shared<const Principal>(std::move(*agent));
  }
  return p;
}

}  // namespace sg::policy
