// Rule 6: the signature rules of each algorithm family, algorithm confusion, tampering.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "jose/sign.hpp"
#include "jose/signature.hpp"
#include "jose/verify.hpp"
#include "test_support.hpp"

namespace sg::jose {
namespace {

using test::key_for;

Result<VerifiedJws> verify_with(std::string_view token, const KeySet& keys) {
  return verify_jws_signature(token, keys, test::options());
}

// header.payload of a token signed with `key`, and the signature to attach.
std::string input_for(const SigningKey& key) {
  const std::string header = R"({"alg":")" + std::string(algorithm_name(key.algorithm())) +
                             R"(","kid":")" + key.kid() + "\"}";
  return base64url_encode(header) + "." + base64url_encode(test::claims_json());
}

std::string with_signature(const std::string& input, const Bytes& sig) {
  return input + "." + base64url_encode(sig);
}

void expect_bad_signature(const Result<VerifiedJws>& r, std::string_view message = {}) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kBadSignature) << r.error().message;
  if (!message.empty()) {
    EXPECT_EQ(r.error().message, message);
  }
}

// DER ECDSA-Sig-Value of a raw R||S (test-side encoder, for contrast).
Bytes to_der(const Bytes& raw) {
  auto integer = [](const std::uint8_t* p, std::size_t n) {
    while (n > 1 && *p == 0)
      ++p, --n;
    Bytes out{0x02};
    const bool pad = (*p & 0x80) != 0;
    out.push_back(static_cast<std::uint8_t>(n + (pad ? 1 : 0)));
    if (pad) out.push_back(0);
    out.insert(out.end(), p, p + n);
    return out;
  };
  const std::size_t half = raw.size() / 2;
  Bytes r = integer(raw.data(), half), s = integer(raw.data() + half, half);
  Bytes der{0x30, static_cast<std::uint8_t>(r.size() + s.size())};
  der.insert(der.end(), r.begin(), r.end());
  der.insert(der.end(), s.begin(), s.end());
  return der;
}

TEST(JwsVerify, SignVerifyRoundTripForEveryAlgorithm) {
  for (Algorithm alg : all_algorithms()) {
    const SigningKey& key = key_for(alg);
    auto token = sign_jws(boost::json::object{{"typ", "at+jwt"}}, test::claims_json(), key);
    ASSERT_TRUE(token.ok()) << algorithm_name(alg) << ": " << token.error().message;
    auto r = verify_jws(*token, test::keyset_of({&key}), test::options(), test::at(test::kNow));
    ASSERT_TRUE(r.ok()) << algorithm_name(alg) << ": " << r.error().message;
    EXPECT_EQ(r->header.alg, alg);
    EXPECT_EQ(r->header.typ, "at+jwt");
    EXPECT_EQ(r->claims.sub(), "alice");
  }
}

TEST(JwsVerify, RejectsTamperedHeaderPayloadOrSignatureForEveryAlgorithm) {
  for (Algorithm alg : all_algorithms()) {
    SCOPED_TRACE(std::string(algorithm_name(alg)));
    const SigningKey& key = key_for(alg);
    const KeySet keys = test::keyset_of({&key});
    const std::string token = sign_jws({}, test::claims_json(), key).value();
    const std::size_t d1 = token.find('.');
    const std::size_t d2 = token.rfind('.');

    const std::string header = R"({"alg":")" + std::string(algorithm_name(alg)) + R"(","kid":")" +
                               key.kid() + R"(","typ":"JWT"})";
    expect_bad_signature(verify_with(base64url_encode(header) + token.substr(d1), keys));

    std::string claims = test::claims_json();
    claims.replace(claims.find("alice"), 5, "admin");
    expect_bad_signature(
        verify_with(token.substr(0, d1 + 1) + base64url_encode(claims) + token.substr(d2), keys));

    expect_bad_signature(verify_with(test::flip_char(token, d2 + 5), keys));
  }
}

TEST(JwsVerify, RejectsEcdsaSignatureInDerEncoding) {
  const SigningKey& key = key_for(Algorithm::kES256);
  const std::string input = input_for(key);
  const Bytes raw = sign_bytes(key, input).value();
  ASSERT_EQ(raw.size(), 64u);
  ASSERT_TRUE(verify_with(with_signature(input, raw), test::keyset_of({&key})).ok());
  const Bytes der = to_der(raw);
  expect_bad_signature(
      verify_with(with_signature(input, der), test::keyset_of({&key})),
      "ECDSA signature must be exactly 64 bytes (raw R||S), got " + std::to_string(der.size()));
}

TEST(JwsVerify, RejectsEcdsaSignatureOfWrongLength) {
  for (Algorithm alg : {Algorithm::kES256, Algorithm::kES384, Algorithm::kES512}) {
    const SigningKey& key = key_for(alg);
    const std::string input = input_for(key);
    Bytes sig = sign_bytes(key, input).value();
    EXPECT_EQ(sig.size(), alg == Algorithm::kES256 ? 64u : alg == Algorithm::kES384 ? 96u : 132u);
    Bytes longer = sig;
    longer.insert(longer.begin(), 0);
    expect_bad_signature(verify_with(with_signature(input, longer), test::keyset_of({&key})));
    sig.pop_back();
    expect_bad_signature(verify_with(with_signature(input, sig), test::keyset_of({&key})));
  }
}

TEST(JwsVerify, RejectsEcdsaSignatureWithROrSOutsideOneToOrderMinusOne) {
  const SigningKey& key = key_for(Algorithm::kES256);
  const std::string input = input_for(key);
  const Bytes good = sign_bytes(key, input).value();
  const Bytes n = test::hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  auto with = [&](const Bytes& r, const Bytes& s) {
    Bytes sig = r;
    sig.insert(sig.end(), s.begin(), s.end());
    return verify_with(with_signature(input, sig), test::keyset_of({&key}));
  };
  const Bytes r(good.begin(), good.begin() + 32), s(good.begin() + 32, good.end());
  const std::string msg = "ECDSA signature r or s is outside [1, n-1]";
  expect_bad_signature(with(Bytes(32, 0), s), msg);
  expect_bad_signature(with(r, Bytes(32, 0)), msg);
  expect_bad_signature(with(n, s), msg);
  expect_bad_signature(with(r, n), msg);
  expect_bad_signature(with(r, Bytes(32, 0xff)), msg);
}

TEST(JwsVerify, RejectsEcdsaTokenWhenKeyCurveDiffers) {
  const SigningKey& p384 = key_for(Algorithm::kES384);
  auto jwk = p384.public_jwk().value();
  jwk.erase("alg");
  KeySet keys;
  ASSERT_TRUE(keys.add(Jwk::parse_public(jwk).value()).ok());
  const std::string token = test::make_jws(R"({"alg":"ES256","kid":"ES384"})", test::claims_json(),
                                           key_for(Algorithm::kES256));
  auto r = verify_with(token, keys);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kDisallowedAlgorithm);
  EXPECT_EQ(r.error().message, "kid \"ES384\": key curve P-384 cannot verify ES256");
}

TEST(JwsVerify, RejectsRsaSignatureNotOfModulusLength) {
  const SigningKey& key = key_for(Algorithm::kRS256);
  const std::string input = input_for(key);
  Bytes sig = sign_bytes(key, input).value();
  ASSERT_EQ(sig.size(), 256u);
  Bytes shorter(sig.begin() + 1, sig.end());
  expect_bad_signature(verify_with(with_signature(input, shorter), test::keyset_of({&key})),
                       "RS256 signature length differs from the modulus length");
  sig.insert(sig.begin(), 0);
  expect_bad_signature(verify_with(with_signature(input, sig), test::keyset_of({&key})),
                       "RS256 signature length differs from the modulus length");
}

// A PS256 signature made by OpenSSL directly with the given salt length and MGF1 hash.
Bytes pss_sign(const SigningKey& key, std::string_view input, int salt, const char* mgf1) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestSignInit_ex(ctx, &pctx, "SHA256", nullptr, nullptr, key.pkey(), nullptr), 1);
  EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt);
  EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, mgf1, nullptr);
  Bytes sig(512);
  std::size_t len = sig.size();
  EXPECT_EQ(EVP_DigestSign(ctx, sig.data(), &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  EVP_MD_CTX_free(ctx);
  sig.resize(len);
  return sig;
}

// What OpenSSL 3.0 would accept by default: PSS with the salt length auto-detected.
bool openssl_auto_salt_accepts(const SigningKey& key, std::string_view input, const Bytes& sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestVerifyInit_ex(ctx, &pctx, "SHA256", nullptr, nullptr, key.pkey(), nullptr);
  EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO);
  const bool ok =
      EVP_DigestVerify(ctx, sig.data(), sig.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

TEST(JwsVerify, RejectsPssWithAutoSaltLengthLongerThanDigest) {
  const SigningKey& key = key_for(Algorithm::kPS256);
  const std::string input = input_for(key);
  const Bytes sig = pss_sign(key, input, RSA_PSS_SALTLEN_MAX, "SHA256");
  ASSERT_TRUE(openssl_auto_salt_accepts(key, input, sig));  // a lenient verifier would accept
  expect_bad_signature(verify_with(with_signature(input, sig), test::keyset_of({&key})),
                       "signature does not verify");
}

TEST(JwsVerify, RejectsPssSignatureWithSaltShorterThanDigest) {
  const SigningKey& key = key_for(Algorithm::kPS256);
  const std::string input = input_for(key);
  for (int salt : {0, 20, 31}) {
    const Bytes sig = pss_sign(key, input, salt, "SHA256");
    ASSERT_TRUE(openssl_auto_salt_accepts(key, input, sig));
    expect_bad_signature(verify_with(with_signature(input, sig), test::keyset_of({&key})));
  }
  // The same construction with salt = digest length verifies: the test above is meaningful.
  const Bytes good = pss_sign(key, input, 32, "SHA256");
  EXPECT_TRUE(verify_with(with_signature(input, good), test::keyset_of({&key})).ok());
}

TEST(JwsVerify, RejectsPssSignatureWithMgf1OverAnotherHash) {
  const SigningKey& key = key_for(Algorithm::kPS256);
  const std::string input = input_for(key);
  const Bytes sig = pss_sign(key, input, 32, "SHA1");
  expect_bad_signature(verify_with(with_signature(input, sig), test::keyset_of({&key})));
}

TEST(JwsVerify, RejectsRsaPkcs1SignatureForPss) {
  const SigningKey& rs = key_for(Algorithm::kRS256);
  auto jwk = rs.public_jwk().value();
  jwk.erase("alg");
  KeySet keys;
  ASSERT_TRUE(keys.add(Jwk::parse_public(jwk).value()).ok());
  // Same key, PKCS#1 v1.5 signature, header claiming PS256.
  const std::string input = base64url_encode(std::string_view(R"({"alg":"PS256","kid":"RS256"})")) +
                            "." + base64url_encode(test::claims_json());
  expect_bad_signature(verify_with(with_signature(input, sign_bytes(rs, input).value()), keys));
}

// Algorithm confusion (CVE-2015-9235 and kin): HS256 with the public key bytes as the secret.
TEST(JwsVerify, RejectsHmacWithRsaKeyMaterial) {
  const SigningKey& rsa = key_for(Algorithm::kRS256);
  const KeySet keys = test::keyset_of({&rsa});
  const std::string n_bytes = std::string(rsa.public_jwk().value().at("n").as_string());
  for (const std::string& secret :
       {n_bytes, rsa.export_pem().value(), boost::json::serialize(rsa.public_jwk().value())}) {
    auto hmac_key = SigningKey::from_shared_secret(to_bytes(secret), Algorithm::kHS256, "RS256");
    ASSERT_TRUE(hmac_key.ok());
    const std::string token =
        test::make_jws(R"({"alg":"HS256","kid":"RS256"})", test::claims_json(), *hmac_key);
    auto r = verify_with(token, keys);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), Errc::kDisallowedAlgorithm);
    EXPECT_EQ(r.error().message, "kid \"RS256\": key is of kty RSA and cannot verify HS256");
    // Without a kid there is no HMAC key to find at all.
    const std::string no_kid = test::make_jws(R"({"alg":"HS256"})", test::claims_json(), *hmac_key);
    EXPECT_EQ(verify_with(no_kid, keys).code(), Errc::kUnknownKey);
  }
}

TEST(JwsVerify, RejectsHmacWithEcKeyMaterial) {
  const SigningKey& ec = key_for(Algorithm::kES256);
  auto hmac_key = SigningKey::from_shared_secret(
      to_bytes(boost::json::serialize(ec.public_jwk().value())), Algorithm::kHS256, "ES256");
  ASSERT_TRUE(hmac_key.ok());
  const std::string token =
      test::make_jws(R"({"alg":"HS256","kid":"ES256"})", test::claims_json(), *hmac_key);
  EXPECT_EQ(verify_with(token, test::keyset_of({&ec})).code(), Errc::kDisallowedAlgorithm);
}

TEST(JwsVerify, RejectsAsymmetricTokenVerifiedWithSharedSecret) {
  const SigningKey& hs = key_for(Algorithm::kHS256);
  const std::string token = test::make_jws(R"({"alg":"ES256","kid":"HS256"})", test::claims_json(),
                                           key_for(Algorithm::kES256));
  EXPECT_EQ(verify_with(token, test::keyset_of({&hs})).code(), Errc::kDisallowedAlgorithm);
}

TEST(JwsVerify, RejectsTruncatedHmacTag) {
  const SigningKey& key = key_for(Algorithm::kHS256);
  const std::string input = input_for(key);
  Bytes tag = sign_bytes(key, input).value();
  tag.resize(16);
  expect_bad_signature(verify_with(with_signature(input, tag), test::keyset_of({&key})),
                       "HS256 tag must be exactly 32 bytes");
}

TEST(JwsVerify, RejectsEd25519SignatureThatIsNot64Bytes) {
  const SigningKey& key = key_for(Algorithm::kEdDSA);
  const std::string input = input_for(key);
  Bytes sig = sign_bytes(key, input).value();
  sig.pop_back();
  expect_bad_signature(verify_with(with_signature(input, sig), test::keyset_of({&key})),
                       "EdDSA signature must be exactly 64 bytes");
}

TEST(JwsVerify, RejectsUnknownKid) {
  const std::string token = sign_jws({}, test::claims_json(), key_for(Algorithm::kES256)).value();
  auto r = verify_with(token, test::keyset_of({&key_for(Algorithm::kES384)}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kUnknownKey);
  EXPECT_EQ(r.error().message, "no key with kid \"ES256\"");
}

TEST(JwsVerify, PrimitiveChecksKeyBindingItself) {
  auto jwk = key_for(Algorithm::kRS256).verification_key().value();
  EXPECT_EQ(verify_signature(Algorithm::kHS256, jwk, "a.b", Bytes(32)).code(),
            Errc::kDisallowedAlgorithm);
  EXPECT_EQ(verify_signature(Algorithm::kRS384, jwk, "a.b", Bytes(256)).code(),
            Errc::kDisallowedAlgorithm);  // the JWK says alg RS256
}

}  // namespace
}  // namespace sg::jose
