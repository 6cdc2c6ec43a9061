// make_issuers builds one TrustedIssuer per configured issuer: the `issuers:` section made live.
//
// Per kind: oidc → JwtIssuer with keys from discovery (or the configured jwks_uri); jwks →
// JwtIssuer with the static JWKS of `jwks_file`; backstage → BackstageIssuer with keys from
// `jwks_uri` (default `<issuer>/.well-known/jwks.json`); dev is refused (it exists only under
// `serve --dev`, see DevIssuer). Defaults when the configuration leaves them empty:
//  - algorithms: RS256..512, PS256..512, ES256..512, EdDSA — plus HS256..512 only when a `secret`
//    is configured (HS* is never accepted without one);
//  - types: oidc/jwks "JWT" and "at+jwt"; backstage always its two token types;
//  - audiences: required for oidc/jwks; backstage "backstage".
// make_issuers does the I/O (reads jwks_file, resolves the secret); make_issuer is the core that
// takes their contents. Both run once at start-up. Thread-safe (no shared state).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "identity/fetcher.hpp"
#include "identity/jwks_cache.hpp"
#include "identity/trusted_issuer.hpp"
#include "jose/verify_options.hpp"

namespace sg::identity {

// What make_issuers read for one issuer.
struct IssuerMaterial {
  std::optional<std::string> jwks_text;  // kind jwks: the contents of jwks_file
  std::optional<std::string> secret;     // the resolved `secret`, when configured
};

// The VerifyOptions of an oidc or jwks issuer. Errors: kInvalidConfig.
Result<jose::VerifyOptions> verify_options_for(const config::IssuerConfig& config, bool has_secret);

// Errors: kInvalidConfig naming the issuer and the problem.
Result<std::unique_ptr<TrustedIssuer>> make_issuer(const config::IssuerConfig& config,
                                                   const IssuerMaterial& material, Fetcher& fetcher,
                                                   const Clock& clock, Logger* logger,
                                                   const JwksCacheOptions& cache_options = {});

// Errors: kInvalidConfig (also for an unreadable jwks_file or secret).
Result<std::vector<std::unique_ptr<TrustedIssuer>>> make_issuers(
    const std::vector<config::IssuerConfig>& configs, Fetcher& fetcher, const Clock& clock,
    Logger* logger);

}  // namespace sg::identity
