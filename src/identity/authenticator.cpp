#include "identity/authenticator.hpp"

#include <utility>

#include "identity/token_cache.hpp"
#include "identity/token_hash.hpp"
#include "identity/trusted_issuer.hpp"
#include "jose/inspect.hpp"

namespace sg::identity {
namespace {

constexpr std::size_t kMaxTokenBytes = 16 * 1024;
constexpr std::size_t kMaxEchoedIssuerBytes = 200;

bool blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

bool printable(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

Error untrusted(std::optional<std::string_view> iss) {
  if (!iss) return make_error(Errc::kWrongIssuer, "token has no issuer (iss)");
  if (iss->size() <= kMaxEchoedIssuerBytes && printable(*iss)) {
    return make_error(Errc::kWrongIssuer,
                      "token issuer \"" + std::string(*iss) + "\" is not trusted");
  }
  return make_error(Errc::kWrongIssuer, "token issuer is not trusted");
}

}  // namespace

Authenticator::Authenticator(std::vector<std::unique_ptr<TrustedIssuer>> issuers,
                             const Clock& clock, std::size_t cache_capacity)
    : issuers_(std::move(issuers)),
      clock_(clock),
      cache_(std::make_unique<TokenCache>(cache_capacity)) {}

Authenticator::~Authenticator() = default;

Result<std::shared_ptr<const policy::Principal>> Authenticator::authenticate(
    std::string_view token) {
  if (blank(token)) return make_error(Errc::kUnauthenticated, "no bearer token");
  if (token.size() > kMaxTokenBytes) return make_error(Errc::kMalformedToken, "token is too large");
  const Time now = clock_.now();
  const TokenHash hash = token_hash(token);
  if (auto hit = cache_->get(hash, now)) {
    // A revocation made elsewhere (another process sharing the store) reaches cached tokens too.
    if (!revoked_ || hit->token_id.empty() || !revoked_(hit->token_id)) return hit;
    cache_->invalidate(token);
    return make_error(Errc::kRevoked, "token revoked");
  }

  auto unverified = jose::decode_unverified(token);
  if (!unverified.ok()) return unverified.error();

  std::optional<Error> last;
  for (const auto& issuer : issuers_) {
    if (!issuer->should_try(*unverified)) continue;
    auto principal = issuer->verify(token, *unverified, now);
    if (principal.ok()) {
      const Time expires{std::chrono::seconds(principal->expires_at)};
      auto shared = std::make_shared<const policy::Principal>(std::move(principal).value());
      cache_->put(hash, shared, expires, now);
      return shared;
    }
    last = principal.error();
    // Only a Backstage limited-user token can match several issuers; the next may hold its key.
    if (principal.code() != Errc::kUnknownKey) break;
  }
  if (last) return *last;
  return untrusted(unverified_iss(*unverified));
}

void Authenticator::invalidate(std::string_view token) {
  cache_->invalidate(token);
}

std::vector<std::pair<std::string, Status>> Authenticator::readiness() {
  std::vector<std::pair<std::string, Status>> out;
  out.reserve(issuers_.size());
  for (const auto& issuer : issuers_)
    out.emplace_back(issuer->name(), issuer->ready());
  return out;
}

std::vector<std::pair<std::string, Status>> Authenticator::prefetch() {
  std::vector<std::pair<std::string, Status>> out;
  out.reserve(issuers_.size());
  for (const auto& issuer : issuers_)
    out.emplace_back(issuer->name(), issuer->prefetch());
  return out;
}

}  // namespace sg::identity
