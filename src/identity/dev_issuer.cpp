#include "identity/dev_issuer.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json/serialize.hpp>

#include "common/ids.hpp"
#include "identity/jwks_cache.hpp"
#include "identity/jwt_issuer.hpp"
#include "jose/sign.hpp"

namespace sg::identity {
namespace {

Status check_attribute(std::string_view field, std::string_view value) {
  if (value.size() > kDevMaxAttributeBytes) {
    return make_error(Errc::kInvalidArgument, std::string(field) + " is longer than " +
                                                  std::to_string(kDevMaxAttributeBytes) + " bytes");
  }
  return {};
}

Status check_request(const DevTokenRequest& r) {
  if (r.subject.empty()) return make_error(Errc::kInvalidArgument, "subject is required");
  for (const auto& [field, value] :
       {std::pair<std::string_view, std::string_view>{"subject", r.subject},
        {"email", r.email},
        {"name", r.name},
        {"team", r.team}}) {
    if (auto s = check_attribute(field, value); !s.ok()) return s;
  }
  if (r.groups.size() > kDevMaxGroups) {
    return make_error(Errc::kInvalidArgument,
                      "at most " + std::to_string(kDevMaxGroups) + " groups are allowed");
  }
  for (const std::string& g : r.groups) {
    if (g.empty()) return make_error(Errc::kInvalidArgument, "a group name is empty");
    if (auto s = check_attribute("a group name", g); !s.ok()) return s;
  }
  if (r.ttl && r.ttl->count() <= 0) {
    return make_error(Errc::kInvalidArgument, "ttl must be positive");
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<const DevIssuer>> DevIssuer::create() {
  auto key = jose::SigningKey::generate(jose::Algorithm::kES256, "dev-" + new_id());
  if (!key.ok()) return make_error(Errc::kInternal, "cannot generate the dev issuer's key");
  return std::shared_ptr<const DevIssuer>(new DevIssuer(std::move(key).value()));
}

Result<std::string> DevIssuer::mint(const DevTokenRequest& r, Time now) const {
  if (auto s = check_request(r); !s.ok()) return s.error();
  const std::chrono::seconds ttl = std::min(r.ttl.value_or(kDevDefaultTtl), kDevMaxTtl);
  const std::int64_t iat = unix_seconds(now);
  boost::json::object claims;
  claims["iss"] = kDevIssuer;
  claims["sub"] = r.subject;
  claims["aud"] = kDevAudience;
  claims["iat"] = iat;
  claims["exp"] = iat + ttl.count();
  claims["jti"] = new_id();
  if (!r.email.empty()) claims["email"] = r.email;
  if (!r.name.empty()) claims["name"] = r.name;
  if (!r.team.empty()) claims["team"] = r.team;
  if (!r.groups.empty()) {
    boost::json::array groups;
    for (const std::string& g : r.groups)
      groups.emplace_back(g);
    claims["groups"] = std::move(groups);
  }
  boost::json::object header;
  header["typ"] = "at+jwt";
  return jose::sign_jws(header, boost::json::serialize(claims), key_);
}

std::unique_ptr<TrustedIssuer> DevIssuer::trusted_issuer() const {
  jose::KeySet keys;
  auto jwk = key_.verification_key();
  if (!jwk.ok() || !keys.add(std::move(jwk).value()).ok()) {
    throw std::logic_error("the dev issuer's own key cannot verify");  // a broken invariant
  }
  JwtIssuerSettings settings;
  settings.name = std::string(kDevIssuerName);
  settings.options.algorithms = {jose::Algorithm::kES256};
  settings.options.issuer = std::string(kDevIssuer);
  settings.options.audiences = std::vector<std::string>{std::string(kDevAudience)};
  settings.options.types = std::vector<std::string>{"at+jwt"};
  settings.kind = policy::PrincipalKind::kUser;
  auto cache = std::make_unique<JwksCache>(settings.name, std::move(keys));
  return std::make_unique<JwtIssuer>(std::move(settings), std::move(cache));
}

}  // namespace sg::identity
