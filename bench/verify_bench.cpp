// Token verification benchmarks (issue 3): single-threaded, so items_per_second is per core.
//
//   BM_VerifyJws/<alg>           jose::verify_jws end to end: shape, base64url, header rules,
//                                allow-list, typ, key selection, signature, claims
//   BM_VerifySignatureOnly/<alg> jose::verify_signature alone on the same bytes: the floor that
//                                our parsing adds to
//   BM_ParseCompactJws/RS256     jose::parse_compact_jws on the RS256 token: shape, strict
//                                base64url of the three segments, header JSON and header rules
//   BM_ValidateClaimsJson        jose::validate_claims_json on that token's decoded payload:
//                                strict claims JSON and the claims rules. With the previous case,
//                                most of what BM_VerifyJws/RS256 adds to the signature
//   BM_TokenCacheHit             SHA-256 of the token and a TokenCache::get hit, rotating through
//                                1000 cached tokens
//   BM_AuthenticatorCachedPath   Authenticator::authenticate on a repeated dev-issuer token
//                                (SHA-256 of the token, cache lookup, shared principal)
//   BM_AuthenticatorUncached     the same token forgotten before every call: the whole uncached
//                                path through the identity layer (ES256)
//
// RS256 uses a 2048-bit key, ES256 P-256, EdDSA Ed25519; every token carries ~300 bytes of
// realistic claims. Every result is checked inside the timed loop, so a broken verifier reports
// an error instead of a speed. bench/verify.sh runs this beside `openssl speed`.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "identity/authenticator.hpp"
#include "identity/dev_issuer.hpp"
#include "identity/token_cache.hpp"
#include "identity/token_hash.hpp"
#include "identity/trusted_issuer.hpp"
#include "jose/algorithm.hpp"
#include "jose/base64url.hpp"
#include "jose/claims.hpp"
#include "jose/jwks.hpp"
#include "jose/jws.hpp"
#include "jose/sign.hpp"
#include "jose/signature.hpp"
#include "jose/signing_key.hpp"
#include "jose/verify.hpp"
#include "jose/verify_options.hpp"
#include "policy/principal.hpp"

namespace {

namespace bj = boost::json;
using sg::Time;
using sg::jose::Algorithm;

constexpr std::string_view kIssuer = "https://login.example.com";
constexpr std::string_view kAudience = "stackgate";
constexpr std::string_view kType = "at+jwt";
// A fixed "now" for the pure verifier; tokens are valid for an hour around it.
const Time kNow{std::chrono::seconds(1'800'000'000)};

// A claims set of the size and shape an IdP issues (~300 bytes of JSON). `serial` varies the jti.
bj::object realistic_claims(std::size_t serial) {
  const std::int64_t now = sg::unix_seconds(kNow);
  bj::object c;
  c["iss"] = kIssuer;
  c["sub"] = "user:default/jane.doe";
  c["aud"] = bj::array{kAudience};
  c["iat"] = now;
  c["nbf"] = now;
  c["exp"] = now + 3600;
  c["jti"] = "4f1c0b9e7a2d4e6f8a1b3c5d7e9f" + std::to_string(1000 + serial);
  c["email"] = "jane.doe@example.com";
  c["name"] = "Jane Doe";
  c["team"] = "payments";
  c["groups"] = bj::array{"engineering", "payments", "platform-oncall"};
  return c;
}

sg::jose::VerifyOptions verify_options(Algorithm alg) {
  sg::jose::VerifyOptions o;
  o.algorithms = {alg};
  o.issuer = std::string(kIssuer);
  o.audiences = std::vector<std::string>{std::string(kAudience)};
  o.types = std::vector<std::string>{std::string(kType)};
  return o;
}

// One algorithm's key, trusted key set and pre-signed token, plus the token's signing input and
// decoded signature for the signature-only benchmark.
struct Fixture {
  sg::jose::KeySet keys;
  sg::jose::VerifyOptions options;
  std::string token;
  std::size_t claims_bytes = 0;
  std::string signing_input;
  sg::jose::Bytes signature;
};

sg::Result<Fixture> make_fixture(Algorithm alg) {
  const std::string kid = "bench-" + std::string(sg::jose::algorithm_name(alg));
  auto key = sg::jose::SigningKey::generate(alg, kid, 2048);
  if (!key.ok()) return key.error();
  auto jwk = key->verification_key();
  if (!jwk.ok()) return jwk.error();
  Fixture f;
  if (auto s = f.keys.add(std::move(jwk).value()); !s.ok()) return s.error();
  f.options = verify_options(alg);

  const std::string claims = bj::serialize(realistic_claims(0));
  f.claims_bytes = claims.size();
  bj::object header;
  header["typ"] = kType;
  auto token = sg::jose::sign_jws(header, claims, *key);
  if (!token.ok()) return token.error();
  f.token = std::move(token).value();

  auto parts = sg::jose::split_compact(f.token);
  if (!parts.ok()) return parts.error();
  f.signing_input = std::string(parts->signing_input);
  auto sig = sg::jose::base64url_decode(parts->signature);
  if (!sig.ok()) return sig.error();
  f.signature = std::move(sig).value();
  return f;
}

// Keys are generated once per algorithm (RSA generation is slow) and shared by both benchmarks.
const sg::Result<Fixture>& fixture(Algorithm alg) {
  static std::map<Algorithm, sg::Result<Fixture>> cache;
  auto it = cache.find(alg);
  if (it == cache.end()) it = cache.emplace(alg, make_fixture(alg)).first;
  return it->second;
}

std::string failure(std::string_view what, const sg::Error& e) {
  return std::string(what) + ": " + e.message;
}

void BM_VerifyJws(benchmark::State& state, Algorithm alg) {
  const auto& f = fixture(alg);
  if (!f.ok()) {
    state.SkipWithError(failure("fixture", f.error()).c_str());
    return;
  }
  std::string error;
  for (auto _ : state) {
    auto verified = sg::jose::verify_jws(f->token, f->keys, f->options, kNow);
    if (!verified.ok()) {
      error = failure("verify_jws", verified.error());
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(verified);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["token_bytes"] = static_cast<double>(f->token.size());
  state.counters["claims_bytes"] = static_cast<double>(f->claims_bytes);
}

void BM_VerifySignatureOnly(benchmark::State& state, Algorithm alg) {
  const auto& f = fixture(alg);
  if (!f.ok()) {
    state.SkipWithError(failure("fixture", f.error()).c_str());
    return;
  }
  const sg::jose::Jwk& key = f->keys.keys().front();
  std::string error;
  for (auto _ : state) {
    auto status = sg::jose::verify_signature(alg, key, f->signing_input, f->signature);
    if (!status.ok()) {
      error = failure("verify_signature", status.error());
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations());
}

// The parts of BM_VerifyJws/RS256 around the signature: parsing the token (rules 1-3) and checking
// its claims (rule 7) on the decoded payload.
void BM_ParseCompactJws(benchmark::State& state, Algorithm alg) {
  const auto& f = fixture(alg);
  if (!f.ok()) {
    state.SkipWithError(failure("fixture", f.error()).c_str());
    return;
  }
  std::string error;
  for (auto _ : state) {
    auto parsed = sg::jose::parse_compact_jws(f->token);
    if (!parsed.ok()) {
      error = failure("parse_compact_jws", parsed.error());
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ValidateClaimsJson(benchmark::State& state) {
  const auto& f = fixture(Algorithm::kRS256);
  if (!f.ok()) {
    state.SkipWithError(failure("fixture", f.error()).c_str());
    return;
  }
  auto parsed = sg::jose::parse_compact_jws(f->token);
  if (!parsed.ok()) {
    state.SkipWithError(failure("parse_compact_jws", parsed.error()).c_str());
    return;
  }
  const std::string_view payload = sg::jose::as_chars(parsed->payload);
  std::string error;
  for (auto _ : state) {
    auto claims = sg::jose::validate_claims_json(payload, f->options, kNow);
    if (!claims.ok()) {
      error = failure("validate_claims_json", claims.error());
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(claims);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_VerifyJws, RS256, Algorithm::kRS256);
BENCHMARK_CAPTURE(BM_VerifyJws, ES256, Algorithm::kES256);
BENCHMARK_CAPTURE(BM_VerifyJws, EdDSA, Algorithm::kEdDSA);
BENCHMARK_CAPTURE(BM_VerifySignatureOnly, RS256, Algorithm::kRS256);
BENCHMARK_CAPTURE(BM_VerifySignatureOnly, ES256, Algorithm::kES256);
BENCHMARK_CAPTURE(BM_VerifySignatureOnly, EdDSA, Algorithm::kEdDSA);
BENCHMARK_CAPTURE(BM_ParseCompactJws, RS256, Algorithm::kRS256);
BENCHMARK(BM_ValidateClaimsJson);

// --- the cached path -------------------------------------------------------------------------

constexpr std::size_t kCacheCapacity = 10000;
constexpr std::size_t kCachedTokens = 1000;

sg::policy::Principal principal_for(const bj::object& claims) {
  sg::policy::Principal p;
  p.subject = "user:default/jane.doe";
  p.issuer = "corp-sso";
  p.email = "jane.doe@example.com";
  p.name = "Jane Doe";
  p.team = "payments";
  p.groups = {"engineering", "payments", "platform-oncall"};
  p.ownership = {"user:default/jane.doe", "group:default/payments"};
  p.token_id = std::string(claims.at("jti").as_string());
  p.expires_at = claims.at("exp").as_int64();
  p.claims = claims;
  return p;
}

// 1000 distinct signed ES256 tokens of realistic size, and their principals.
struct CacheFixture {
  std::vector<std::string> tokens;
  std::vector<std::shared_ptr<const sg::policy::Principal>> principals;
};

sg::Result<CacheFixture> make_cache_fixture() {
  auto key = sg::jose::SigningKey::generate(Algorithm::kES256, "bench-cache");
  if (!key.ok()) return key.error();
  bj::object header;
  header["typ"] = kType;
  CacheFixture f;
  for (std::size_t i = 0; i < kCachedTokens; ++i) {
    bj::object claims = realistic_claims(i);
    auto token = sg::jose::sign_jws(header, bj::serialize(claims), *key);
    if (!token.ok()) return token.error();
    f.tokens.push_back(std::move(token).value());
    f.principals.push_back(std::make_shared<const sg::policy::Principal>(principal_for(claims)));
  }
  return f;
}

void BM_TokenCacheHit(benchmark::State& state) {
  static const sg::Result<CacheFixture> f = make_cache_fixture();
  if (!f.ok()) {
    state.SkipWithError(failure("fixture", f.error()).c_str());
    return;
  }
  sg::identity::TokenCache cache(kCacheCapacity);
  const Time expires = kNow + std::chrono::hours(1);
  for (std::size_t i = 0; i < kCachedTokens; ++i)
    cache.put(sg::identity::token_hash(f->tokens[i]), f->principals[i], expires, kNow);
  std::size_t i = 0;
  for (auto _ : state) {
    auto hit = cache.get(sg::identity::token_hash(f->tokens[i]), kNow);
    if (!hit) {
      state.SkipWithError("TokenCache::get missed a cached token");
      break;
    }
    benchmark::DoNotOptimize(hit);
    if (++i == kCachedTokens) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["entries"] = static_cast<double>(cache.size());
  state.counters["token_bytes"] = static_cast<double>(f->tokens.front().size());
}
BENCHMARK(BM_TokenCacheHit);

// An Authenticator trusting only a fresh dev issuer, and a token it minted for a typical user.
struct DevSetup {
  std::unique_ptr<sg::identity::Authenticator> auth;
  std::string token;
};

sg::Result<DevSetup> make_dev_setup(const sg::Clock& clock) {
  auto dev = sg::identity::DevIssuer::create();
  if (!dev.ok()) return dev.error();
  sg::identity::DevTokenRequest request;
  request.subject = "user:default/jane.doe";
  request.email = "jane.doe@example.com";
  request.name = "Jane Doe";
  request.team = "payments";
  request.groups = {"engineering", "payments", "platform-oncall"};
  request.ttl = std::chrono::hours(1);
  auto token = (*dev)->mint(request, clock.now());
  if (!token.ok()) return token.error();
  std::vector<std::unique_ptr<sg::identity::TrustedIssuer>> issuers;
  issuers.push_back((*dev)->trusted_issuer());
  DevSetup s;
  s.auth = std::make_unique<sg::identity::Authenticator>(std::move(issuers), clock, kCacheCapacity);
  s.token = std::move(token).value();
  return s;
}

void BM_AuthenticatorCachedPath(benchmark::State& state) {
  const sg::SystemClock clock;
  auto setup = make_dev_setup(clock);
  if (!setup.ok()) {
    state.SkipWithError(failure("setup", setup.error()).c_str());
    return;
  }
  auto& auth = *setup->auth;
  if (auto first = auth.authenticate(setup->token); !first.ok()) {  // verifies and caches
    state.SkipWithError(failure("first authenticate", first.error()).c_str());
    return;
  }
  std::string error;
  for (auto _ : state) {
    auto principal = auth.authenticate(setup->token);
    if (!principal.ok()) {
      error = failure("authenticate", principal.error());
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(principal);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["token_bytes"] = static_cast<double>(setup->token.size());
}
BENCHMARK(BM_AuthenticatorCachedPath);

void BM_AuthenticatorUncached(benchmark::State& state) {
  const sg::SystemClock clock;
  auto setup = make_dev_setup(clock);
  if (!setup.ok()) {
    state.SkipWithError(failure("setup", setup.error()).c_str());
    return;
  }
  auto& auth = *setup->auth;
  std::string error;
  for (auto _ : state) {
    auth.invalidate(setup->token);  // forget it: every call verifies the signature again
    auto principal = auth.authenticate(setup->token);
    if (!principal.ok()) {
      error = failure("authenticate", principal.error());
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(principal);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuthenticatorUncached)->Name("BM_AuthenticatorUncached/ES256");

}  // namespace

BENCHMARK_MAIN();
