// The Pulumi providers: pulumi.token, pulumi.oidc_exchange and backend.
#include <algorithm>
#include <chrono>
#include <string>

#include "runs/credential_providers.hpp"

namespace sg::runs {
namespace {

constexpr std::string_view kToken = "pulumi.token";
constexpr std::string_view kOidc = "pulumi.oidc_exchange";
constexpr std::string_view kBackend = "backend";

Error prefixed(std::string_view provider, const Error& e) {
  return make_error(e.code, std::string(provider) + ": " + e.message);
}

bool has_control_character(std::string_view value) {
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

// The requested token type: as configured, else team when a team is named, personal when a user
// is, organization otherwise.
std::string token_type(const config::PulumiOidcExchange& p) {
  if (!p.token_type.empty()) return p.token_type;
  if (!p.team.empty()) return "team";
  if (!p.user.empty()) return "personal";
  return "organization";
}

std::string scope_of(const config::PulumiOidcExchange& p, std::string_view type) {
  if (type == "team") return "team:" + p.team;
  if (type == "personal") return "user:" + p.user;
  return {};
}

}  // namespace

Status add_pulumi_token(const config::PulumiTokenCredential& pulumi, CredentialSet& set) {
  Result<std::string> token = pulumi.token.resolve();
  if (!token) return prefixed(kToken, token.error());
  if (has_control_character(*token)) {
    return make_error(Errc::kInvalidConfig, std::string(kToken) + ": secret " +
                                                pulumi.token.describe() +
                                                " has a control character; a token has none");
  }
  return set.set(kToken, "PULUMI_ACCESS_TOKEN", std::move(*token));
}

Status add_pulumi_oidc(const config::PulumiOidcExchange& pulumi, PulumiTokenExchanger& exchanger,
                       Duration token_ttl, CredentialSet& set) {
  const std::string api = pulumi_api_url(pulumi.api);
  if (Status s = set.set(kOidc, "PULUMI_BACKEND_URL", api); !s) return s;
  PulumiExchangeRequest request;
  request.api = api;
  request.org = pulumi.org.empty() ? set.run().org : pulumi.org;
  request.token_type = token_type(pulumi);
  request.scope = scope_of(pulumi, request.token_type);
  request.expiration = std::max(std::chrono::seconds(1),
                                std::chrono::duration_cast<std::chrono::seconds>(pulumi.ttl));
  Result<tokens::IssuedToken> run_token =
      set.mint(kOidc, "urn:pulumi:org:" + request.org, token_ttl);
  if (!run_token) return run_token.error();
  request.subject_token = run_token->token;
  Result<PulumiAccessToken> access = exchanger.exchange(request);
  if (!access) return prefixed(kOidc, access.error());
  return set.set(kOidc, "PULUMI_ACCESS_TOKEN", std::move(access->access_token));
}

Status add_backend(const config::BackendCredential& backend, CredentialSet& set) {
  std::string passphrase;
  if (backend.passphrase) {
    Result<std::string> resolved = backend.passphrase->resolve();
    if (!resolved) return prefixed(kBackend, resolved.error());
    passphrase = std::move(*resolved);
  }
  if (Status s = set.set(kBackend, "PULUMI_BACKEND_URL", backend.url); !s) return s;
  if (!backend.passphrase) return {};
  Result<std::string> path = set.write(kBackend, kPassphraseFile, passphrase);
  if (!path) return path.error();
  return set.set(kBackend, "PULUMI_CONFIG_PASSPHRASE_FILE", std::move(*path));
}

}  // namespace sg::runs
