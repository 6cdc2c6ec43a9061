// JwtIssuer verifies the tokens of an OpenID Connect issuer (kind oidc: keys from discovery or a
// configured jwks_uri) or of an issuer with a static JWKS (kind jwks), and of the development
// issuer.
//
// A token is this issuer's to try when its unverified `iss` equals the configured issuer exactly.
// Verification: jose::verify_jws with the issuer's VerifyOptions (algorithm allow-list, exact iss,
// audiences, typ, leeway) against keys from its JwksCache — or, for HS* tokens only, against the
// shared secret configured for it — then claim mapping. Built by make_issuers; owned by the
// Authenticator. Thread-safe (immutable apart from the thread-safe cache).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "identity/jwks_cache.hpp"
#include "identity/trusted_issuer.hpp"
#include "jose/jwk.hpp"
#include "jose/jwks.hpp"
#include "jose/verify_options.hpp"

namespace sg::identity {

struct JwtIssuerSettings {
  std::string name;                           // configured name
  jose::VerifyOptions options;                // options.issuer is the exact `iss`
  std::map<std::string, std::string> claims;  // principal attribute ← claim path
  policy::PrincipalKind kind = policy::PrincipalKind::kUser;
};

class JwtIssuer final : public TrustedIssuer {
 public:
  // `secret` is the configured shared secret, when there is one. It verifies HS* tokens only,
  // whatever `kid` they carry (an issuer has at most one secret).
  JwtIssuer(JwtIssuerSettings settings, std::unique_ptr<JwksCache> keys,
            std::optional<jose::Jwk> secret = std::nullopt);

  const std::string& name() const override { return settings_.name; }
  bool should_try(const jose::UnverifiedToken& token) const override;
  using TrustedIssuer::verify;
  Result<policy::Principal> verify(std::string_view token, const jose::UnverifiedToken& unverified,
                                   Time now) override;
  Status prefetch() override { return keys_->refresh_now(); }
  Status ready() const override { return keys_->ready(); }

 private:
  const JwtIssuerSettings settings_;
  const std::unique_ptr<JwksCache> keys_;
  Result<jose::KeySet> secret_keys(const std::optional<std::string>& kid) const;

  const std::optional<jose::Jwk> secret_;
};

}  // namespace sg::identity
