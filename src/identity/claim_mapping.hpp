// Claim mapping fills a Principal's attributes from a verified claims set, following an issuer's
// `claims:` configuration (principal attribute ← dotted claim path).
//
// Attributes: subject (default path `sub`), email (`email`), name (`name`), team (`team`) —
// strings; groups (`groups`) and ownership (no default) — a string or an array of strings, as a
// list. A path is first looked up as one whole key ("https://example.com/team" is one claim name),
// then split at a '.' into an object key and the rest of the path ("realm.groups"), each prefix
// tried in turn. A claim of the wrong type leaves the attribute empty and is never an error;
// neither is a missing one — except the subject, which a principal cannot lack. Bounds: values
// longer than kMaxClaimValueBytes are ignored (not truncated: a cut group name could name another
// group), list elements past kMaxClaimListItems are dropped, paths longer than kMaxClaimPathBytes
// never match (policy/claim_path.hpp, shared with policy conditions). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.hpp"
#include "jose/claims.hpp"
#include "policy/claim_path.hpp"
#include "policy/principal.hpp"

namespace sg::identity {

using policy::find_claim;
using policy::kMaxClaimListItems;
using policy::kMaxClaimPathBytes;
using policy::kMaxClaimValueBytes;

// The attributes a `claims:` map may name.
bool is_mappable_attribute(std::string_view attribute);

// Sets out.subject, email, name, team, groups and ownership from `claims` under `mapping`
// (attributes not in `mapping` use their default path). Errors: kMalformedToken when the subject
// is missing, not a string, empty or too long.
Status map_claims(const boost::json::object& claims,
                  const std::map<std::string, std::string>& mapping, policy::Principal& out);

// A string or array of strings as a list, under the bounds above; anything else gives an empty
// list.
std::vector<std::string> string_list(const boost::json::value* v);

// A Principal from verified claims: map_claims, then issuer = `issuer_name`, kind, token_id (jti),
// expires_at (exp) and the whole claims set. Errors: those of map_claims.
Result<policy::Principal> make_principal(const jose::Claims& claims,
                                         const std::map<std::string, std::string>& mapping,
                                         const std::string& issuer_name,
                                         policy::PrincipalKind kind);

}  // namespace sg::identity
