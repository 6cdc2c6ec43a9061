// TrustedIssuer is one issuer the gateway accepts tokens from: it decides whether a token is its to
// try and verifies it with its own pinned keys into a Principal.
//
// should_try() looks only at the unverified header and claims, to route a token; it grants
// nothing. verify() applies every check of jose-rules.md for this issuer and maps the claims;
// its error messages are plain words naming the failed check and never contain the token.
// prefetch() fetches keys now (network); ready() says, without network, whether keys are held.
// Implementations: JwtIssuer (kinds oidc and jwks), BackstageIssuer, and DevIssuer's issuer.
// Owned by the Authenticator. Implementations are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "jose/inspect.hpp"
#include "policy/principal.hpp"

namespace sg::identity {

class TrustedIssuer {
 public:
  virtual ~TrustedIssuer() = default;

  // The configured name, e.g. "corp-sso"; becomes Principal::issuer.
  virtual const std::string& name() const = 0;

  // Whether this issuer should try `token` (its unverified header and claims).
  virtual bool should_try(const jose::UnverifiedToken& token) const = 0;

  // Verifies `token`; `unverified` must be jose::decode_unverified(token) (the Authenticator has
  // already decoded it to route the token, so it is not decoded again). Only routing details
  // (kid, alg, typ) are taken from it; every check is made on the token itself.
  // Errors: kMalformedToken, kDisallowedAlgorithm, kUnknownKey, kBadSignature, kExpired,
  // kNotYetValid, kWrongIssuer, kWrongAudience, kIssuerUnavailable.
  virtual Result<policy::Principal> verify(std::string_view token,
                                           const jose::UnverifiedToken& unverified, Time now) = 0;

  // Decodes `token` and verifies it as above. Errors: as above.
  Result<policy::Principal> verify(std::string_view token, Time now);

  // Fetches keys now when they come from the network. Errors: kIssuerUnavailable.
  virtual Status prefetch() { return {}; }

  // Whether the issuer holds usable keys; never touches the network.
  virtual Status ready() const = 0;
};

// The unverified `iss` of a token, when it is a string (a view into `token`).
std::optional<std::string_view> unverified_iss(const jose::UnverifiedToken& token);

// The unverified `typ` of a token in comparison form (see jose::normalize_media_type); empty when
// absent or not a string.
std::string unverified_typ(const jose::UnverifiedToken& token);

// Rewrites a verification error into the plain words callers see ("token expired", "token
// audience is not accepted", "no key with this token's kid", ...), keeping its code.
Error plain_error(const Error& e);

}  // namespace sg::identity
