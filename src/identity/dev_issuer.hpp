// DevIssuer is the built-in development issuer of `stackgate serve --dev`: it mints tokens for any
// subject and groups (POST /dev/token, loopback only) and trusts exactly those tokens.
//
// At construction it generates an ES256 key with a random kid that lives only in memory; tokens
// carry iss "urn:stackgate:dev", aud "stackgate", typ "at+jwt", sub, iat, exp, jti and the
// requested attributes. Lifetimes default to 15 minutes and are capped at 1 hour. Never built from
// a configuration file (make_issuers refuses kind dev). The app owns it (shared with the
// TrustedIssuer it hands the Authenticator). Thread-safe: immutable after creation.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "identity/trusted_issuer.hpp"
#include "jose/signing_key.hpp"

namespace sg::identity {

inline constexpr std::string_view kDevIssuer = "urn:stackgate:dev";
inline constexpr std::string_view kDevIssuerName = "dev";
inline constexpr std::string_view kDevAudience = "stackgate";
inline constexpr std::chrono::seconds kDevDefaultTtl{15 * 60};
inline constexpr std::chrono::seconds kDevMaxTtl{60 * 60};
inline constexpr std::size_t kDevMaxAttributeBytes = 256;
inline constexpr std::size_t kDevMaxGroups = 64;

struct DevTokenRequest {
  std::string subject;  // required, at most 256 bytes
  std::string email;    // optional attributes, at most 256 bytes each
  std::string name;
  std::string team;
  std::vector<std::string> groups;          // at most 64, each at most 256 bytes
  std::optional<std::chrono::seconds> ttl;  // default 15 min; capped at 1 h; must be positive
};

class DevIssuer {
 public:
  // Errors: kInternal (key generation failed).
  static Result<std::shared_ptr<const DevIssuer>> create();

  // A signed compact JWS for `request`, issued at `now`. Errors: kInvalidArgument naming the field.
  Result<std::string> mint(const DevTokenRequest& request, Time now) const;

  // The TrustedIssuer (name "dev", principal kind user) that verifies this issuer's tokens.
  std::unique_ptr<TrustedIssuer> trusted_issuer() const;

 private:
  explicit DevIssuer(jose::SigningKey key) : key_(std::move(key)) {}

  jose::SigningKey key_;
};

}  // namespace sg::identity
