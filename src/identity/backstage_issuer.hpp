// BackstageIssuer verifies the user tokens of one Backstage auth backend.
//
// Two token kinds, signed by the same keys (the backend's JWKS, default
// `<issuer>/.well-known/jwks.json`, pinned to this issuer):
//  - `typ: vnd.backstage.user`: `iss` must equal the configured issuer byte for byte and `aud`
//    contain "backstage" (or a configured audience);
//  - `typ: vnd.backstage.limited-user`: no `iss` or `aud`; trust comes only from the pinned keys.
// Both require `sub`, `iat` and `exp`, and `sub` must be a user entity ref (`user:<ns>/<name>`).
// Ownership refs come from the `ent` claim when present, else from Backstage's userinfo endpoint
// (BackstageUserinfo; a failure there fails the request). should_try(): the unverified `iss` equals
// the issuer, or the token is a limited-user token without `iss` (every Backstage issuer then
// tries it, and only the one holding its key accepts it). Owned by the Authenticator; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "identity/backstage_userinfo.hpp"
#include "identity/jwks_cache.hpp"
#include "identity/trusted_issuer.hpp"
#include "jose/verify_options.hpp"

namespace sg::identity {

inline constexpr std::string_view kBackstageUserType = "vnd.backstage.user";
inline constexpr std::string_view kBackstageLimitedUserType = "vnd.backstage.limited-user";

struct BackstageIssuerSettings {
  std::string name;
  std::string issuer;                   // the auth base URL, e.g. http://localhost:7007/api/auth
  jose::VerifyOptions user_options;     // typ vnd.backstage.user, iss, aud
  jose::VerifyOptions limited_options;  // typ vnd.backstage.limited-user, no iss/aud
  std::map<std::string, std::string> claims;
};

class BackstageIssuer final : public TrustedIssuer {
 public:
  BackstageIssuer(BackstageIssuerSettings settings, std::unique_ptr<JwksCache> keys,
                  std::unique_ptr<BackstageUserinfo> userinfo);

  const std::string& name() const override { return settings_.name; }
  bool should_try(const jose::UnverifiedToken& token) const override;
  using TrustedIssuer::verify;
  Result<policy::Principal> verify(std::string_view token, const jose::UnverifiedToken& unverified,
                                   Time now) override;
  Status prefetch() override { return keys_->refresh_now(); }
  Status ready() const override { return keys_->ready(); }

 private:
  const BackstageIssuerSettings settings_;
  const std::unique_ptr<JwksCache> keys_;
  const std::unique_ptr<BackstageUserinfo> userinfo_;
};

}  // namespace sg::identity
