#include "runs/stored_principal.hpp"

#include <algorithm>
#include <cctype>

#include "jose/json_reader.hpp"
#include "policy/principal_json.hpp"

namespace sg::runs {

namespace json = boost::json;

json::object stored_principal(const policy::Principal& who) {
  json::object o = policy::principal_to_json(who);
  if (!who.claims.empty()) o["claims"] = who.claims;
  if (who.actor && !who.actor->claims.empty()) {
    if (json::value* actor = o.if_contains("actor"); actor != nullptr && actor->is_object()) {
      actor->get_object()["claims"] = who.actor->claims;
    }
  }
  return o;
}

Result<policy::Principal> requester_of(const store::RunRecord& run) {
  jose::JsonLimits limits;
  limits.max_bytes = 256 * 1024;
  auto parsed = jose::parse_strict_object(run.principal, limits, "run principal", Errc::kInternal);
  if (!parsed) return Error{Errc::kInternal, "run " + run.id + ": " + parsed.error().message};
  auto who = policy::principal_from_json(*parsed);
  if (!who) return Error{Errc::kInternal, "run " + run.id + ": " + who.error().message};
  return who;
}

bool same_subject(const policy::Principal& a, const policy::Principal& b) {
  return a.subject == b.subject && a.issuer == b.issuer;
}

bool same_person(const policy::Principal& a, const policy::Principal& b) {
  if (same_subject(a, b)) return true;
  if (a.email.empty() || b.email.empty() || a.email.size() != b.email.size()) return false;
  return std::equal(a.email.begin(), a.email.end(), b.email.begin(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace sg::runs
