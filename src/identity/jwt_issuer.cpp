#include "identity/jwt_issuer.hpp"

#include <utility>

#include "identity/claim_mapping.hpp"
#include "jose/verify.hpp"

namespace sg::identity {

JwtIssuer::JwtIssuer(JwtIssuerSettings settings, std::unique_ptr<JwksCache> keys,
                     std::optional<jose::Jwk> secret)
    : settings_(std::move(settings)), keys_(std::move(keys)), secret_(std::move(secret)) {}

Result<jose::KeySet> JwtIssuer::secret_keys(const std::optional<std::string>& kid) const {
  jose::KeySet set;
  if (!kid) {
    if (auto s = set.add(*secret_); !s.ok()) return s.error();
    return set;
  }
  auto keyed = jose::Jwk::shared_secret(secret_->secret(), std::nullopt, kid);
  if (!keyed.ok()) return keyed.error();
  if (auto s = set.add(std::move(keyed).value()); !s.ok()) return s.error();
  return set;
}

bool JwtIssuer::should_try(const jose::UnverifiedToken& token) const {
  auto iss = unverified_iss(token);
  return iss && settings_.options.issuer && *iss == *settings_.options.issuer;
}

Result<policy::Principal> JwtIssuer::verify(std::string_view token,
                                            const jose::UnverifiedToken& unverified, Time now) {
  const auto& header = unverified.unverified_header;
  std::optional<std::string> kid;
  if (const auto* k = header.if_contains("kid"); k != nullptr && k->is_string()) {
    kid = std::string(k->get_string());
  }
  const auto* alg = header.if_contains("alg");
  const bool hmac = alg != nullptr && alg->is_string() && alg->get_string().starts_with("HS");

  Result<jose::VerifiedToken> verified = make_error(Errc::kInternal, "not verified");
  if (hmac && secret_) {  // a shared secret only ever verifies HS*; public keys never do
    auto secrets = secret_keys(kid);
    if (!secrets.ok()) return make_error(Errc::kInternal, "the configured secret is unusable");
    verified = jose::verify_jws(token, *secrets, settings_.options, now);
  } else {
    auto keys = keys_->keys_for(kid);
    if (!keys.ok()) return keys.error();
    verified = jose::verify_jws(token, **keys, settings_.options, now);
  }
  if (!verified.ok()) return plain_error(verified.error());
  return make_principal(verified->claims, settings_.claims, settings_.name, settings_.kind);
}

}  // namespace sg::identity
