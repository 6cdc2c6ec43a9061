// token_claims writes the claims of a token the gateway issues, and reads a verified one back into
// the Principal it was issued for.
//
// A stackgate token carries who the subject is exactly as the policy saw them when it was issued,
// so a token exchanged from another issuer's token keeps its roles: `idp` (the configured name of
// the issuer of origin), `kind`, `email`, `name`, `team`, `groups`, `ownership`, and
// `origin_claims` (the other claims of the original token, for `claim.*` conditions; bounded by
// kMaxCarriedClaimsBytes — too many is an error, never a silent drop, since a missing claim can
// stop a deny rule from matching). Registered claims: `iss`, `sub`, `aud` (one string), `iat`,
// `nbf`, `exp`, `jti`, `client_id` (the current actor, else the subject; RFC 9068), `scope` when
// narrowed. A delegated token has `act` (RFC 8693): the current actor with the same attributes and
// its own scope, and earlier actors nested inside it as `{"sub"}` only (informational).
//
// Shape kIdToken (for Pulumi Cloud's OIDC exchange, which takes ID tokens) is the same claims with
// `typ: JWT` and no `scope` or `client_id`. A run token (TokenContent::run set) is ID-token shaped
// and has instead the claims tokens/run_claims.hpp lists: `sub` names the stack and operation, and
// the subject is carried as the run's requester. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "policy/principal.hpp"
#include "policy/scope.hpp"
#include "tokens/run_claims.hpp"

namespace sg::tokens {

inline constexpr std::size_t kMaxCarriedClaimsBytes = 4096;

enum class TokenShape {
  kAccessToken,  // typ at+jwt (RFC 9068): for the gateway and services that take access tokens
  kIdToken,      // typ JWT, no scope: what Pulumi Cloud's token exchange accepts
};

struct TokenContent {
  std::string issuer;    // iss: server.public_url
  std::string audience;  // aud
  std::string jti;
  std::int64_t issued_at = 0;   // iat and nbf, seconds since the epoch
  std::int64_t expires_at = 0;  // exp
  TokenShape shape = TokenShape::kAccessToken;
  policy::Principal subject;  // its `actor` and `scope` are ignored: see actor and scope below
  std::shared_ptr<const policy::Principal> actor;  // the current actor; null when none
  std::vector<std::string> earlier_actors;         // their subjects, most recent first
  std::optional<policy::Scope> scope;
  std::optional<RunClaims> run;  // a run token: `subject` is the run's requester
};

// The header members besides alg and kid: {"typ": "at+jwt"} or {"typ": "JWT"}.
boost::json::object header_fields(TokenShape shape);

// The claims object. Errors: kInvalidArgument when the subject's or actor's other claims exceed
// kMaxCarriedClaimsBytes; for a run token, when a part of the run is malformed
// (check_run_claims) or the content has an actor, a scope or the access-token shape.
Result<boost::json::object> token_claims(const TokenContent& content);

// The principal a verified stackgate token speaks for: attributes from the claims above, claims =
// origin_claims, scope from `scope`, actor and act from `act`, token_id, expires_at.
// Errors: kMalformedToken naming the claim of the wrong type.
Result<policy::Principal> token_principal(const boost::json::object& claims);

}  // namespace sg::tokens
