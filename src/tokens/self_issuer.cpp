#include "tokens/self_issuer.hpp"

#include <utility>

#include "jose/verify.hpp"
#include "tokens/token_claims.hpp"

namespace sg::tokens {

SelfIssuer::SelfIssuer(std::string issuer, keys::KeyRing& keys, RevocationList& revoked,
                       std::chrono::seconds leeway)
    : issuer_(std::move(issuer)), keys_(keys), revoked_(revoked), leeway_(leeway) {}

bool SelfIssuer::should_try(const jose::UnverifiedToken& token) const {
  std::optional<std::string_view> iss = identity::unverified_iss(token);
  return iss && *iss == issuer_;
}

Result<jose::Claims> SelfIssuer::check(std::string_view token, bool own_audience, Time now) {
  jose::VerifyOptions opts;
  opts.algorithms = {jose::Algorithm::kES256, jose::Algorithm::kEdDSA};
  opts.issuer = issuer_;
  if (own_audience) {
    opts.audiences = std::vector<std::string>{issuer_};
    opts.types = std::vector<std::string>{"at+jwt"};
  } else {
    opts.types = std::vector<std::string>{"at+jwt", "JWT"};
  }
  opts.leeway = leeway_;
  Result<jose::VerifiedToken> verified =
      jose::verify_jws(token, keys_.verification_keys(now), opts, now);
  if (!verified && verified.error().code == Errc::kUnknownKey) {
    // Another process may have rotated the ring since it was read: look again, not too often.
    Time::rep last = last_refresh_.load();
    const Time::rep current = now.time_since_epoch().count();
    if (current - last >= std::chrono::duration_cast<Time::duration>(kRefreshCooldown).count() &&
        last_refresh_.compare_exchange_strong(last, current)) {
      if (keys_.refresh(now)) {
        verified = jose::verify_jws(token, keys_.verification_keys(now), opts, now);
      }
    }
  }
  if (!verified) return identity::plain_error(verified.error());
  const jose::Claims& claims = verified->claims;
  if (!claims.jti() || claims.jti()->empty() || !claims.sub()) {
    return make_error(Errc::kMalformedToken, "token lacks jti or sub");
  }
  return std::move(verified->claims);
}

Result<policy::Principal> SelfIssuer::verify(std::string_view token,
                                             const jose::UnverifiedToken& /*unverified*/,
                                             Time now) {
  Result<jose::Claims> claims = check(token, true, now);
  if (!claims) return claims.error();
  if (revoked_.check(*claims->jti(), now)) return make_error(Errc::kRevoked, "token revoked");
  Result<policy::Principal> who = token_principal(claims->json());
  if (!who) return who.error();
  return who;
}

Result<InspectedToken> SelfIssuer::inspect(std::string_view token, Time now) {
  Result<jose::Claims> claims = check(token, false, now);
  if (!claims) return claims.error();
  Result<policy::Principal> who = token_principal(claims->json());
  if (!who) return who.error();
  who->token_id = *claims->jti();
  who->expires_at = claims->exp().value_or(0);
  const bool revoked = revoked_.check(*claims->jti(), now);
  return InspectedToken{std::move(*claims), std::move(*who), revoked};
}

}  // namespace sg::tokens
