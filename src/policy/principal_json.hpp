// The JSON shape of a Principal, both ways: the API's `principal` object (whoami, authorize, runs)
// and the principal files of `stackgate policy eval` and `policy test`.
//
// principal_to_json writes {"subject","issuer","kind","email","name","team","groups":[…],
// "ownership":[…],"act":[…],"expires_at"} plus "scope" when the principal has one. The raw claims
// are not written: callers see what the gateway derived.
//
// principal_from_json reads an object with `subject` (required, non-empty) and the optional fields
// `issuer`, `kind` ("user" or "machine"; default "user"), `email`, `name`, `team` (strings),
// `groups`, `ownership`, `act` (arrays of strings), `claims` (an object: what `claim.<path>`
// conditions read), `scope` (a scope string, policy/scope.hpp) and `expires_at` (a non-negative
// integer, so the writer's output reads back). Anything else is an error naming the field, as is a
// value of the wrong type. Values are never quoted in messages. Bounds: strings up to
// kMaxPrincipalStringBytes, arrays up to kMaxPrincipalListItems, claims up to kMaxClaimsDepth deep
// and kMaxClaimsValues values in all. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.hpp"
#include "policy/principal.hpp"

namespace sg::policy {

inline constexpr std::size_t kMaxPrincipalStringBytes = 1024;
inline constexpr std::size_t kMaxPrincipalListItems = 256;
inline constexpr std::size_t kMaxClaimsDepth = 16;
inline constexpr std::size_t kMaxClaimsValues = 4096;

// Every field principal_from_json accepts.
inline constexpr std::array<std::string_view, 13> kPrincipalJsonFields = {
    "subject",   "issuer", "kind",   "email", "name",       "team", "groups",
    "ownership", "act",    "claims", "scope", "expires_at", "actor"};

boost::json::object principal_to_json(const Principal& p);

// Errors: kInvalidArgument, "field: what is wrong" (or "principal: …" when `v` is not an object).
// When `bad_field` is not null and the error is about one field, it receives the field's name, so
// a caller reading another format can point at it.
Result<Principal> principal_from_json(const boost::json::value& v,
                                      std::string* bad_field = nullptr);

}  // namespace sg::policy
