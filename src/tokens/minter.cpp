#include "tokens/minter.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "common/ids.hpp"
#include "jose/sign.hpp"

namespace sg::tokens {

Minter::Minter(MinterSettings settings, keys::KeyRing& keys)
    : settings_(std::move(settings)), keys_(keys) {}

Result<IssuedToken> Minter::mint(const MintRequest& request, Time now) {
  const Duration ttl = request.ttl.value_or(settings_.default_ttl);
  if (ttl <= Duration::zero()) {
    return make_error(Errc::kInvalidArgument, "the requested lifetime must be positive");
  }
  const std::int64_t iat = unix_seconds(now);
  std::int64_t exp =
      iat +
      std::chrono::duration_cast<std::chrono::seconds>(std::min(ttl, settings_.max_ttl)).count();
  if (request.not_after) exp = std::min(exp, *request.not_after);
  if (exp <= iat) return make_error(Errc::kInvalidArgument, "the subject token has expired");

  // Pick up a rotation made elsewhere, then rotate here if the current key is due.
  Time::rep last = last_refresh_.load();
  const Time::rep current = now.time_since_epoch().count();
  if (current - last >= std::chrono::duration_cast<Time::duration>(kRingRefresh).count() &&
      last_refresh_.compare_exchange_strong(last, current)) {
    if (Status s = keys_.refresh(now); !s) return s.error();
  }
  if (now - keys_.current_created_at() >= settings_.rotate_every) {
    // Re-reads the store first, so a rotation by another process counts.
    if (Result<bool> rotated = keys_.rotate_if_older_than(settings_.rotate_every, now); !rotated) {
      return rotated.error();
    }
  }

  TokenContent content;
  content.issuer = settings_.issuer;
  content.audience = request.audience.empty() ? settings_.issuer : request.audience;
  content.jti = new_id();
  content.issued_at = iat;
  content.expires_at = exp;
  content.shape = request.shape;
  content.subject = request.subject;
  content.subject.actor.reset();
  content.subject.scope.reset();
  content.actor = request.actor;
  content.earlier_actors = request.earlier_actors;
  if (request.shape == TokenShape::kAccessToken) content.scope = request.scope;
  content.run = request.run;
  Result<boost::json::object> claims = token_claims(content);
  if (!claims) return claims.error();

  const jose::SigningKey key = keys_.current();
  Result<std::string> token =
      jose::sign_jws(header_fields(request.shape), boost::json::serialize(*claims), key);
  if (!token) return token.error();
  IssuedToken out;
  out.token = std::move(*token);
  out.subject = std::string(claims->at("sub").as_string());
  out.jti = content.jti;
  out.kid = key.kid();
  out.audience = content.audience;
  out.issued_at = iat;
  out.expires_at = exp;
  out.shape = request.shape;
  out.scope = content.scope;
  return out;
}

}  // namespace sg::tokens
