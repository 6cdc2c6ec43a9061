#include "identity/issuer_factory.hpp"

#include <sstream>
#include <utility>

#include "common/small_file.hpp"
#include "identity/backstage_issuer.hpp"
#include "identity/claim_mapping.hpp"
#include "identity/jwt_issuer.hpp"
#include "jose/jwk.hpp"
#include "jose/jwks.hpp"

namespace sg::identity {
namespace {

using config::IssuerConfig;
using jose::Algorithm;

constexpr std::size_t kMaxJwksFileBytes = 256 * 1024;
constexpr std::size_t kMaxUserinfoBytes = 64 * 1024;

Error invalid(const IssuerConfig& c, std::string what) {
  return make_error(Errc::kInvalidConfig, "issuer " + c.name + ": " + std::move(what));
}

std::string without_trailing_slash(std::string s) {
  while (s.ends_with('/'))
    s.pop_back();
  return s;
}

Result<std::vector<Algorithm>> algorithms_for(const IssuerConfig& c, bool has_secret) {
  std::vector<Algorithm> out;
  if (c.algorithms.empty()) {
    for (Algorithm a : jose::all_algorithms()) {
      if (jose::key_family(a) != jose::KeyFamily::kOct || has_secret) out.push_back(a);
    }
    return out;
  }
  for (const std::string& name : c.algorithms) {
    auto alg = jose::algorithm_from_name(name);
    if (!alg) return invalid(c, "algorithm " + name + " is not supported");
    if (jose::key_family(*alg) == jose::KeyFamily::kOct && !has_secret) {
      return invalid(c, name + " needs the shared `secret` of this issuer");
    }
    out.push_back(*alg);
  }
  return out;
}

Status check_common(const IssuerConfig& c) {
  if (c.issuer.empty()) return invalid(c, "issuer is required");
  for (const auto& [attribute, path] : c.claims) {
    if (!is_mappable_attribute(attribute)) {
      return invalid(c, "claims: " + attribute +
                            " is not a principal attribute (subject, email, name, team, groups, "
                            "ownership)");
    }
  }
  if (c.leeway > jose::kMaxLeeway || c.leeway.count() < 0) {
    return invalid(c, "leeway must be between 0s and 5m");
  }
  return {};
}

std::chrono::seconds leeway_of(const IssuerConfig& c) {
  return std::chrono::duration_cast<std::chrono::seconds>(c.leeway);
}

Result<std::optional<jose::Jwk>> secret_key(const IssuerConfig& c, const IssuerMaterial& material) {
  if (!material.secret) return std::optional<jose::Jwk>();
  auto jwk = jose::Jwk::shared_secret(jose::to_bytes(*material.secret), std::nullopt, std::nullopt);
  if (!jwk.ok()) return invalid(c, "secret: " + jwk.error().message);
  return std::optional<jose::Jwk>(std::move(jwk).value());
}

Result<std::unique_ptr<TrustedIssuer>> make_jwt_issuer(const IssuerConfig& c,
                                                       const IssuerMaterial& material,
                                                       Fetcher& fetcher, const Clock& clock,
                                                       Logger* logger,
                                                       const JwksCacheOptions& cache_options) {
  auto options = verify_options_for(c, material.secret.has_value());
  if (!options.ok()) return options.error();
  auto secrets = secret_key(c, material);
  if (!secrets.ok()) return secrets.error();
  std::unique_ptr<JwksCache> cache;
  if (c.kind == IssuerConfig::Kind::kJwks) {
    if (!material.jwks_text) return invalid(c, "jwks_file was not read");
    auto parsed = jose::parse_jwks(*material.jwks_text, cache_options.limits);
    if (!parsed.ok()) return invalid(c, "jwks_file: " + parsed.error().message);
    if (parsed->keys.empty()) return invalid(c, "jwks_file has no usable key");
    cache = std::make_unique<JwksCache>(c.name, std::move(parsed->keys));
  } else {
    cache = std::make_unique<JwksCache>(c.name, JwksSource{c.issuer, c.jwks_uri}, fetcher, clock,
                                        logger, cache_options);
  }
  JwtIssuerSettings settings{c.name, std::move(options).value(), c.claims,
                             c.principal_kind == IssuerConfig::PrincipalKind::kMachine
                                 ? policy::PrincipalKind::kMachine
                                 : policy::PrincipalKind::kUser};
  return std::unique_ptr<TrustedIssuer>(
      new JwtIssuer(std::move(settings), std::move(cache), std::move(secrets).value()));
}

Result<std::unique_ptr<TrustedIssuer>> make_backstage_issuer(
    const IssuerConfig& c, Fetcher& fetcher, const Clock& clock, Logger* logger,
    const JwksCacheOptions& cache_options) {
  if (c.secret) return invalid(c, "backstage issuers take no shared secret");
  auto algorithms = algorithms_for(c, false);
  if (!algorithms.ok()) return algorithms.error();
  BackstageIssuerSettings s;
  s.name = c.name;
  s.issuer = c.issuer;
  s.claims = c.claims;
  s.user_options.algorithms = *algorithms;
  s.user_options.issuer = c.issuer;
  s.user_options.audiences =
      c.audiences.empty() ? std::vector<std::string>{"backstage"} : c.audiences;
  s.user_options.types = std::vector<std::string>{std::string(kBackstageUserType)};
  s.user_options.leeway = leeway_of(c);
  s.limited_options.algorithms = *algorithms;
  s.limited_options.types = std::vector<std::string>{std::string(kBackstageLimitedUserType)};
  s.limited_options.leeway = leeway_of(c);

  const std::string base = without_trailing_slash(c.issuer);
  const std::string jwks_uri = c.jwks_uri.empty() ? base + "/.well-known/jwks.json" : c.jwks_uri;
  auto cache = std::make_unique<JwksCache>(c.name, JwksSource{c.issuer, jwks_uri}, fetcher, clock,
                                           logger, cache_options);
  FetchOptions userinfo_options;
  userinfo_options.timeout = cache_options.fetch.timeout;
  userinfo_options.max_bytes = kMaxUserinfoBytes;
  auto userinfo =
      std::make_unique<BackstageUserinfo>(base + "/v1/userinfo", fetcher, userinfo_options);
  return std::unique_ptr<TrustedIssuer>(
      new BackstageIssuer(std::move(s), std::move(cache), std::move(userinfo)));
}

Result<std::string> read_jwks_file(const IssuerConfig& c, const std::string& path) {
  auto text = read_small_file(path, kMaxJwksFileBytes);
  if (!text) return invalid(c, "jwks_file " + path + ": " + text.error().message);
  return text;
}

}  // namespace

Result<jose::VerifyOptions> verify_options_for(const IssuerConfig& c, bool has_secret) {
  if (auto s = check_common(c); !s.ok()) return s.error();
  if (c.audiences.empty()) return invalid(c, "audiences must name at least one audience");
  auto algorithms = algorithms_for(c, has_secret);
  if (!algorithms.ok()) return algorithms.error();
  jose::VerifyOptions o;
  o.algorithms = std::move(algorithms).value();
  o.issuer = c.issuer;
  o.audiences = c.audiences;
  o.types = c.types.empty() ? std::vector<std::string>{"JWT", "at+jwt"} : c.types;
  o.leeway = leeway_of(c);
  return o;
}

Result<std::unique_ptr<TrustedIssuer>> make_issuer(const IssuerConfig& c,
                                                   const IssuerMaterial& material, Fetcher& fetcher,
                                                   const Clock& clock, Logger* logger,
                                                   const JwksCacheOptions& cache_options) {
  if (auto s = check_common(c); !s.ok()) return s.error();
  switch (c.kind) {
    case IssuerConfig::Kind::kOidc:
    case IssuerConfig::Kind::kJwks:
      return make_jwt_issuer(c, material, fetcher, clock, logger, cache_options);
    case IssuerConfig::Kind::kBackstage:
      return make_backstage_issuer(c, fetcher, clock, logger, cache_options);
    case IssuerConfig::Kind::kDev:
      return invalid(c, "the dev issuer exists only under `serve --dev`");
  }
  return invalid(c, "unknown issuer kind");
}

Result<std::vector<std::unique_ptr<TrustedIssuer>>> make_issuers(
    const std::vector<IssuerConfig>& configs, Fetcher& fetcher, const Clock& clock,
    Logger* logger) {
  std::vector<std::unique_ptr<TrustedIssuer>> out;
  for (const IssuerConfig& c : configs) {
    IssuerMaterial material;
    if (c.kind == IssuerConfig::Kind::kJwks) {
      auto text = read_jwks_file(c, c.jwks_file);
      if (!text.ok()) return text.error();
      material.jwks_text = std::move(text).value();
    }
    if (c.secret) {
      auto secret = c.secret->resolve();
      if (!secret.ok()) return invalid(c, "secret: " + secret.error().message);
      material.secret = std::move(secret).value();
    }
    auto issuer = make_issuer(c, material, fetcher, clock, logger);
    if (!issuer.ok()) return issuer.error();
    out.push_back(std::move(issuer).value());
  }
  return out;
}

}  // namespace sg::identity
