#include "identity/backstage_issuer.hpp"

#include <utility>

#include "identity/claim_mapping.hpp"
#include "identity/entity_ref.hpp"
#include "jose/header.hpp"
#include "jose/verify.hpp"

namespace sg::identity {
namespace {

bool is_limited(const jose::UnverifiedToken& token) {
  static const std::string kLimited = jose::normalize_media_type(kBackstageLimitedUserType);
  return unverified_typ(token) == kLimited;
}

}  // namespace

BackstageIssuer::BackstageIssuer(BackstageIssuerSettings settings, std::unique_ptr<JwksCache> keys,
                                 std::unique_ptr<BackstageUserinfo> userinfo)
    : settings_(std::move(settings)), keys_(std::move(keys)), userinfo_(std::move(userinfo)) {}

bool BackstageIssuer::should_try(const jose::UnverifiedToken& token) const {
  auto iss = unverified_iss(token);
  if (iss) return *iss == settings_.issuer;
  return is_limited(token);
}

Result<policy::Principal> BackstageIssuer::verify(std::string_view token,
                                                  const jose::UnverifiedToken& unverified,
                                                  Time now) {
  std::optional<std::string> kid;
  const auto* k = unverified.unverified_header.if_contains("kid");
  if (k != nullptr && k->is_string()) kid = std::string(k->get_string());
  // The unverified typ only picks the options; each set requires that very typ.
  const bool limited = is_limited(unverified);

  auto keys = keys_->keys_for(kid);
  if (!keys.ok()) return keys.error();
  auto verified = jose::verify_jws(
      token, **keys, limited ? settings_.limited_options : settings_.user_options, now);
  if (!verified.ok()) return plain_error(verified.error());
  const jose::Claims& claims = verified->claims;
  if (!claims.sub()) return make_error(Errc::kMalformedToken, "token has no subject");
  if (!claims.iat()) return make_error(Errc::kMalformedToken, "token has no iat");
  if (!is_user_entity_ref(*claims.sub())) {
    return make_error(Errc::kMalformedToken, "token subject is not a Backstage user entity ref");
  }

  auto principal =
      make_principal(claims, settings_.claims, settings_.name, policy::PrincipalKind::kUser);
  if (!principal.ok()) return principal.error();
  principal->subject = *claims.sub();  // a Backstage subject is always `sub`

  if (const auto* ent = principal->claims.if_contains("ent")) {
    if (!ent->is_array()) return make_error(Errc::kMalformedToken, "claim ent is not a list");
    principal->ownership = string_list(ent);
  } else {
    const Time expires{std::chrono::seconds(*claims.exp())};
    auto refs = userinfo_->ownership(token, *claims.sub(), expires, now);
    if (!refs.ok()) return refs.error();
    principal->ownership = std::move(refs).value();
  }
  return principal;
}

}  // namespace sg::identity
