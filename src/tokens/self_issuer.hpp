// SelfIssuer is the gateway trusting its own tokens: the TrustedIssuer for tokens whose `iss` is
// server.public_url, verified against the public keys of the token key ring, with revocation
// checked on every verification.
//
// verify() accepts what the gateway's own API may be called with: typ at+jwt, `aud` = the
// gateway's audience, ES256 or EdDSA, every check of jose-rules.md, not revoked. The principal is
// the one the token was issued for (tokens/token_claims.hpp): its roles come from the issuer of
// origin, narrowed by the token's scope and its current actor. inspect() is for introspection
// and revocation: the same checks but any audience and either shape, and a revoked token is
// reported as such rather than refused. A kid the ring does not know makes the ring re-read the
// store (another process may have rotated), at most once per kRefreshCooldown. Owned by the
// Authenticator (verify) and shared by the token endpoints (inspect); thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "identity/trusted_issuer.hpp"
#include "jose/claims.hpp"
#include "keys/key_ring.hpp"
#include "tokens/revocation_list.hpp"

namespace sg::tokens {

// The issuer name stackgate's own tokens carry into logs and audit events as their verifier.
inline constexpr std::string_view kSelfIssuerName = "stackgate";
inline constexpr std::chrono::seconds kRefreshCooldown{5};

struct InspectedToken {
  jose::Claims claims;
  policy::Principal principal;
  bool revoked = false;
};

class SelfIssuer final : public identity::TrustedIssuer {
 public:
  // `issuer` is server.public_url, which is also the audience the gateway accepts.
  SelfIssuer(std::string issuer, keys::KeyRing& keys, RevocationList& revoked,
             std::chrono::seconds leeway);

  const std::string& name() const override { return name_; }
  bool should_try(const jose::UnverifiedToken& token) const override;
  using TrustedIssuer::verify;
  Result<policy::Principal> verify(std::string_view token, const jose::UnverifiedToken& unverified,
                                   Time now) override;
  Status ready() const override { return {}; }

  // Errors: those of verify() except kWrongAudience and kRevoked.
  Result<InspectedToken> inspect(std::string_view token, Time now);

 private:
  Result<jose::Claims> check(std::string_view token, bool own_audience, Time now);

  const std::string name_{kSelfIssuerName};
  const std::string issuer_;
  keys::KeyRing& keys_;
  RevocationList& revoked_;
  const std::chrono::seconds leeway_;
  std::atomic<Time::rep> last_refresh_{0};
};

}  // namespace sg::tokens
