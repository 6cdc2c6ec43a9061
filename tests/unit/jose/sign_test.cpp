// Issuing: key generation, storage formats, public JWKs, sign_jws.
#include "jose/sign.hpp"

#include <gtest/gtest.h>

#include "jose/base64url.hpp"
#include "jose/inspect.hpp"
#include "jose/verify.hpp"
#include "test_support.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;
using test::key_for;

TEST(SigningKey, PublicJwkCarriesKidAlgUseAndNoPrivateMember) {
  for (Algorithm alg : {Algorithm::kES256, Algorithm::kEdDSA, Algorithm::kRS256}) {
    const bj::object jwk = key_for(alg).public_jwk().value();
    EXPECT_EQ(jwk.at("kid").as_string(), algorithm_name(alg));
    EXPECT_EQ(jwk.at("alg").as_string(), algorithm_name(alg));
    EXPECT_EQ(jwk.at("use"), "sig");
    for (const char* m : {"d", "p", "q", "dp", "dq", "qi", "k"})
      EXPECT_FALSE(jwk.contains(m));
  }
  const bj::object ec = key_for(Algorithm::kES512).public_jwk().value();
  EXPECT_EQ(base64url_decode(ec.at("x").as_string())->size(), 66u);
  EXPECT_EQ(key_for(Algorithm::kHS256).public_jwk().code(), Errc::kInvalidArgument);
}

TEST(SigningKey, PemAndDerExportImportRoundTrip) {
  for (Algorithm alg :
       {Algorithm::kES256, Algorithm::kES384, Algorithm::kEdDSA, Algorithm::kRS256}) {
    SCOPED_TRACE(std::string(algorithm_name(alg)));
    const SigningKey& key = key_for(alg);
    const std::string pem = key.export_pem().value();
    EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
    auto from_pem = SigningKey::import_pem(pem, alg, "again");
    ASSERT_TRUE(from_pem.ok()) << from_pem.error().message;
    auto from_der = SigningKey::import_der(key.export_der().value(), alg, "again");
    ASSERT_TRUE(from_der.ok()) << from_der.error().message;
    bj::object original = key.public_jwk().value(), imported = from_pem->public_jwk().value();
    original.erase("kid");
    imported.erase("kid");
    EXPECT_EQ(original, imported);
    // A token signed by the imported key verifies with the original public key.
    const std::string token = sign_jws({}, test::claims_json(), *from_der).value();
    KeySet keys;
    auto jwk = key.public_jwk().value();
    jwk["kid"] = "again";
    ASSERT_TRUE(keys.add(Jwk::parse_public(jwk).value()).ok());
    EXPECT_TRUE(verify_jws(token, keys, test::options(), test::at(test::kNow)).ok());
  }
}

TEST(SigningKey, ImportRefusesKeyOfTheWrongKind) {
  const std::string p256 = key_for(Algorithm::kES256).export_pem().value();
  EXPECT_EQ(SigningKey::import_pem(p256, Algorithm::kES384, "k").error().message,
            "ES384 needs an EC key on P-384");
  EXPECT_EQ(SigningKey::import_pem(p256, Algorithm::kEdDSA, "k").code(), Errc::kInvalidArgument);
  EXPECT_EQ(SigningKey::import_pem(p256, Algorithm::kHS256, "k").code(), Errc::kInvalidArgument);
  EXPECT_EQ(SigningKey::import_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                                   Algorithm::kES256, "k")
                .code(),
            Errc::kInvalidArgument);
  EXPECT_EQ(SigningKey::import_der(Bytes{0x30, 0x00}, Algorithm::kES256, "k").code(),
            Errc::kInvalidArgument);
}

TEST(SigningKey, GenerateRefusesRsaBelow2048Bits) {
  EXPECT_EQ(SigningKey::generate(Algorithm::kRS256, "k", 1024).code(), Errc::kInvalidArgument);
}

TEST(SigningKey, SharedSecretMustMatchHashLength) {
  EXPECT_EQ(SigningKey::from_shared_secret(Bytes(47, 1), Algorithm::kHS384, "k").error().message,
            "shared secret is shorter than 48 bytes");
  EXPECT_EQ(SigningKey::from_shared_secret(Bytes(64, 1), Algorithm::kES256, "k").code(),
            Errc::kInvalidArgument);
  EXPECT_EQ(key_for(Algorithm::kHS512).secret().size(), 64u);
  EXPECT_NE(key_for(Algorithm::kHS512).secret(), Bytes(64, 0));
}

TEST(SignJws, EcdsaSignaturesAreRawFixedLength) {
  for (auto [alg, size] : {std::pair{Algorithm::kES256, 64u}, std::pair{Algorithm::kES384, 96u},
                           std::pair{Algorithm::kES512, 132u}}) {
    for (int i = 0; i < 8; ++i) {  // short r or s must still be left-padded
      EXPECT_EQ(sign_bytes(key_for(alg), "msg" + std::to_string(i)).value().size(), size);
    }
  }
}

TEST(SignJws, BuildsHeaderWithAlgKidAndCallerFields) {
  const std::string token =
      sign_jws(bj::object{{"typ", "at+jwt"}}, test::claims_json(), key_for(Algorithm::kEdDSA))
          .value();
  auto decoded = decode_unverified(token);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->unverified_header,
            (bj::object{{"alg", "EdDSA"}, {"kid", "EdDSA"}, {"typ", "at+jwt"}}));
}

TEST(SignJws, RefusesHeaderFieldsTheVerifierWouldRefuse) {
  for (const char* m : {"crit", "b64", "zip", "enc", "jwk", "jku", "x5u", "x5c"}) {
    auto r = sign_jws(bj::object{{m, "x"}}, test::claims_json(), key_for(Algorithm::kES256));
    ASSERT_FALSE(r.ok()) << m;
    EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  }
  EXPECT_EQ(sign_jws(bj::object{{"alg", "none"}}, test::claims_json(), key_for(Algorithm::kES256))
                .error()
                .message,
            "header field alg differs from the signing key's");
  EXPECT_TRUE(
      sign_jws(bj::object{{"alg", "ES256"}}, test::claims_json(), key_for(Algorithm::kES256)).ok());
}

TEST(SignJws, RefusesClaimsThatAreNotAStrictJsonObject) {
  for (std::string_view claims : {"[]", R"({"a":1,"a":2})", "{", "x"}) {
    EXPECT_EQ(sign_jws({}, claims, key_for(Algorithm::kES256)).code(), Errc::kInvalidArgument)
        << claims;
  }
}

TEST(SignJws, RefusesTokensLongerThanTheVerifierAccepts) {
  const std::string big = R"({"pad":")" + std::string(13000, 'x') + R"("})";
  EXPECT_EQ(sign_jws({}, big, key_for(Algorithm::kES256)).code(), Errc::kInvalidArgument);
}

TEST(DecodeUnverified, ShowsHeaderAndClaimsEvenForRefusedTokens) {
  const std::string token = base64url_encode(std::string_view(R"({"alg":"none"})")) + "." +
                            base64url_encode(test::claims_json()) + ".";
  auto r = decode_unverified(token);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->unverified_header.at("alg"), "none");
  ASSERT_TRUE(r->unverified_claims.has_value());
  EXPECT_EQ(r->unverified_claims->at("sub"), "alice");
  EXPECT_EQ(r->signature_bytes, 0u);
}

TEST(DecodeUnverified, StillRefusesMalformedTokens) {
  EXPECT_EQ(decode_unverified("a.b").code(), Errc::kMalformedToken);
  EXPECT_EQ(decode_unverified("e30.e30.AB").code(), Errc::kMalformedToken);
  auto not_json = decode_unverified(base64url_encode(std::string_view("{}")) + "." +
                                    base64url_encode(std::string_view("hello")) + ".");
  ASSERT_TRUE(not_json.ok());
  EXPECT_FALSE(not_json->unverified_claims.has_value());
}

}  // namespace
}  // namespace sg::jose
