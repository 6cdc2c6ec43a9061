// Authenticator turns a bearer token into a Principal, or says precisely why it cannot.
//
// It holds one TrustedIssuer per configured issuer (and the development issuer under `serve
// --dev`). The token's unverified `iss` (or, for Backstage limited-user tokens, which have none,
// its `typ`) only chooses which issuer to try; that issuer then verifies everything with its own
// pinned keys. Verified tokens are remembered in a bounded cache keyed by SHA-256 of the token
// until they expire, so a repeated token skips the signature check; invalidate() drops one
// (revocation). The token is hashed once per call. A verified Principal is an immutable value
// shared by the cache and every caller that authenticated the same token (no per-call copy).
// The app owns it; thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "policy/principal.hpp"

namespace sg::identity {

class TrustedIssuer;
class TokenCache;

class Authenticator {
 public:
  Authenticator(std::vector<std::unique_ptr<TrustedIssuer>> issuers, const Clock& clock,
                std::size_t cache_capacity = 10000);
  ~Authenticator();

  // Errors: kUnauthenticated (empty), kMalformedToken, kDisallowedAlgorithm, kUnknownKey,
  // kBadSignature, kExpired, kNotYetValid, kWrongIssuer (no trusted issuer), kWrongAudience,
  // kIssuerUnavailable (the issuer's keys cannot be fetched and none are cached).
  // Messages are plain words naming the failed check, safe to show the caller; never the token.
  // The principal is never null.
  Result<std::shared_ptr<const policy::Principal>> authenticate(std::string_view token);

  // Forgets a cached verification (the token will be verified again on next use).
  void invalidate(std::string_view token);

  // Consulted, with the principal's token_id (`jti`), on every cache hit: true refuses the cached
  // token as kRevoked. Set once while the app is built, before any request.
  void set_revocation_check(std::function<bool(std::string_view jti)> revoked) {
    revoked_ = std::move(revoked);
  }

  // One entry per issuer, for /readyz: ok when it has usable keys. Never touches the network.
  std::vector<std::pair<std::string, Status>> readiness();

  // Fetches every issuer's keys now (start-up warm-up). One entry per issuer.
  std::vector<std::pair<std::string, Status>> prefetch();

 private:
  std::vector<std::unique_ptr<TrustedIssuer>> issuers_;
  const Clock& clock_;
  std::unique_ptr<TokenCache> cache_;
  std::function<bool(std::string_view)> revoked_;
};

}  // namespace sg::identity
