// exchange() is RFC 8693 token exchange: a caller trades a token it holds (from any trusted
// issuer, or a stackgate token) — and, for delegation, an agent's own token — for a short,
// narrow stackgate token.
//
// What the issued token allows is the intersection of what its subject may do, what its actor may
// do (when there is one) and its scope; a scope asking for more than either party holds on any
// known stack is refused (kInvalidScope), never silently cut down. A subject token that is
// already scoped can only be narrowed (Scope::covers). A delegated subject token keeps its actor
// when exchanged without a new one (delegation cannot be shed), and is delegated again only with
// an explicit scope, checked against subject and old actor together (the old actor is recorded in
// the nested `act` and no longer evaluated, RFC 8693 §4.1). A subject token with `may_act` admits
// only that actor. Lifetime: at most max_ttl and the remaining lifetime of both tokens.
// Audience: the gateway itself (default) or one of `audiences`; `urn:pulumi:org:<org>` gets the
// ID-token shape Pulumi Cloud's OIDC exchange accepts. Errors follow RFC 8693 §2.2.2: an
// unusable subject or actor token is kInvalidArgument (invalid_request) naming which and why.
// Pure apart from the Authenticator and Minter it is given; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "identity/authenticator.hpp"
#include "policy/policy.hpp"
#include "policy/principal.hpp"
#include "policy/scope.hpp"
#include "policy/stack.hpp"
#include "tokens/minter.hpp"

namespace sg::tokens {

inline constexpr std::string_view kGrantTokenExchange =
    "urn:ietf:params:oauth:grant-type:token-exchange";
inline constexpr std::string_view kTokenTypeAccessToken =
    "urn:ietf:params:oauth:token-type:access_token";
inline constexpr std::string_view kTokenTypeJwt = "urn:ietf:params:oauth:token-type:jwt";
inline constexpr std::string_view kTokenTypeIdToken = "urn:ietf:params:oauth:token-type:id_token";
inline constexpr std::string_view kPulumiAudiencePrefix = "urn:pulumi:org:";

struct ExchangeRequest {
  std::string grant_type;
  std::string subject_token;
  std::string subject_token_type;
  std::string actor_token;  // empty: no delegation
  std::string actor_token_type;
  std::string scope;                 // space-separated items; empty: keep the subject token's scope
  std::string audience;              // empty: the gateway itself
  std::string requested_token_type;  // empty: an access token
  std::optional<std::int64_t> requested_ttl;  // seconds
};

struct ExchangeOutcome {
  IssuedToken issued;
  std::string issued_token_type;  // kTokenTypeAccessToken or kTokenTypeIdToken
  std::shared_ptr<const policy::Principal> subject;
  std::shared_ptr<const policy::Principal> actor;  // the token's current actor (new or kept)
  std::vector<std::string> earlier_actors;         // the actors before it, most recent first
};

struct ExchangeContext {
  identity::Authenticator& auth;
  Minter& minter;
  const policy::Policy& policy;
  std::span<const policy::Stack> stacks;   // every stack the gateway knows
  std::span<const std::string> audiences;  // allowed besides the gateway itself
};

// What an exchange learnt before it failed, for the audit log.
struct ExchangeTrace {
  std::optional<Error> token_failure;  // the subject or actor token failed verification: why
  std::shared_ptr<const policy::Principal> subject;  // once the subject token verified
};

// Errors: kUnsupportedGrantType, kInvalidArgument, kInvalidScope, kInvalidTarget,
// kIssuerUnavailable (a token's issuer cannot be reached), kStoreUnavailable, kInternal.
Result<ExchangeOutcome> exchange(const ExchangeRequest& request, const ExchangeContext& context,
                                 Time now, ExchangeTrace* trace = nullptr);

// Whether `who` may do everything `wanted` names on every known stack its globs match (and the
// global actions it names). `party` ("the subject", "the actor") starts the error message, which
// names the item and action but never a stack (a stack the caller cannot read stays unnamed).
// Errors: kInvalidScope.
Status scope_within(const policy::Policy& policy, const policy::Principal& who,
                    const policy::Scope& wanted, std::span<const policy::Stack> stacks,
                    std::string_view party);

}  // namespace sg::tokens
