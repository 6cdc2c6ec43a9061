// Fuzz target: the verifier, verify_jws_signature (steps 1-6) and verify_jws (steps 1-8).
//
// The trusted keys are a fresh ES256 key (kid "es") and a fresh Ed25519 key (kid "ed"), generated
// once per process; only their public halves are in the KeySet. Options are fixed: ES256 and EdDSA
// allowed, issuer "https://issuer.example", audience "stackgate", default leeway, exp required; the
// time is fixed at 2023-11-14T22:13:20Z. Before fuzzing, a token each key really signed must
// verify, so "never succeeds" below cannot hold only because the set-up is broken.
//
// Each input is tried as a token exactly as given and, when it holds a '\n', as a token built from
// "header JSON \n payload \n signature" (fuzz_support.hpp), which reaches key selection and the
// ECDSA/EdDSA signature check with well-formed headers. Checks:
// - verification never succeeds: the fuzzer cannot forge a signature without the private keys, so
//   any accepted token is a verifier bug (abort);
// - failures carry only the documented codes (kMalformedToken, kDisallowedAlgorithm, kUnknownKey,
//   kBadSignature), and nothing trips ASan/UBSan;
// - for built tokens, validate_claims_json (step 7) of the payload either fails with a claims code
//   or returns claims that satisfy the options (issuer, audience, exp/nbf/iat against the time).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "fuzz_support.hpp"
#include "jose/claims.hpp"
#include "jose/jwks.hpp"
#include "jose/sign.hpp"
#include "jose/signing_key.hpp"
#include "jose/verify.hpp"

namespace {

using namespace sg::jose;
using sg::Errc;

constexpr std::int64_t kNow = 1'700'000'000;
const sg::Time now{std::chrono::seconds(kNow)};

VerifyOptions make_options() {
  VerifyOptions opts;
  opts.algorithms = {Algorithm::kES256, Algorithm::kEdDSA};
  opts.issuer = "https://issuer.example";
  opts.audiences = std::vector<std::string>{"stackgate"};
  return opts;
}

struct Fixture {
  KeySet keys;
  VerifyOptions opts = make_options();

  Fixture() {
    const std::string claims = R"({"iss":"https://issuer.example","sub":"fuzz","aud":"stackgate",)"
                               R"("iat":1700000000,"exp":1700000600})";
    for (const auto& [alg, kid] : {std::pair{Algorithm::kES256, "es"}, {Algorithm::kEdDSA, "ed"}}) {
      auto key = SigningKey::generate(alg, kid);
      SG_FUZZ_CHECK(key.ok());
      auto jwk = key->verification_key();
      SG_FUZZ_CHECK(jwk.ok());
      SG_FUZZ_CHECK(jwk->pkey() != nullptr);
      SG_FUZZ_CHECK(keys.add(std::move(jwk).value()).ok());
      // The set-up works: a token this key signed verifies (the key is then dropped).
      auto token = sign_jws({}, claims, *key);
      SG_FUZZ_CHECK(token.ok());
      SG_FUZZ_CHECK(verify_jws(*token, keys, opts, now).ok());
    }
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

bool signature_step_code(Errc c) {
  return c == Errc::kMalformedToken || c == Errc::kDisallowedAlgorithm || c == Errc::kUnknownKey ||
         c == Errc::kBadSignature;
}

void check_token(std::string_view token) {
  const Fixture& f = fixture();
  const auto jws = verify_jws_signature(token, f.keys, f.opts);
  SG_FUZZ_CHECK(!jws.ok());  // a forged signature was accepted
  SG_FUZZ_CHECK(signature_step_code(jws.code()));
  const auto verified = verify_jws(token, f.keys, f.opts, now);
  SG_FUZZ_CHECK(!verified.ok());  // a forged token was accepted
  SG_FUZZ_CHECK(verified.code() == jws.code());
}

void check_claims(std::string_view payload) {
  const Fixture& f = fixture();
  const auto claims = validate_claims_json(payload, f.opts, now);
  if (!claims.ok()) {
    const Errc c = claims.code();
    SG_FUZZ_CHECK(c == Errc::kMalformedToken || c == Errc::kWrongIssuer ||
                  c == Errc::kWrongAudience || c == Errc::kExpired || c == Errc::kNotYetValid);
    return;
  }
  const std::int64_t leeway = f.opts.leeway.count();
  SG_FUZZ_CHECK(claims->iss() == f.opts.issuer);
  const auto& aud = claims->aud();
  SG_FUZZ_CHECK(std::find(aud.begin(), aud.end(), "stackgate") != aud.end());
  SG_FUZZ_CHECK(claims->exp().has_value());
  SG_FUZZ_CHECK(kNow < *claims->exp() + leeway);
  if (claims->nbf()) SG_FUZZ_CHECK(*claims->nbf() - leeway <= kNow);
  if (claims->iat()) SG_FUZZ_CHECK(*claims->iat() - leeway <= kNow);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fixture();  // key generation and the self-check happen before the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = sg::fuzz::as_text(data, size);
  check_token(input);
  if (input.find('\n') != std::string_view::npos) {
    check_token(sg::fuzz::token_from_parts(input));
    check_claims(sg::fuzz::split_parts(input)[1]);
  }
  return 0;
}
