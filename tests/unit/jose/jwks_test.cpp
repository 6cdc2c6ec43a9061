// "JWKS and discovery" and rule 5: whole-set refusals, skipped keys, key selection by kid.
#include "jose/jwks.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "test_support.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;
using test::key_for;

bj::object jwk_of(Algorithm alg) {
  return key_for(alg).public_jwk().value();
}

std::string jwks(const bj::array& keys) {
  return bj::serialize(bj::object{{"keys", keys}});
}

TEST(Jwks, ParsesKeysOfEveryPublicFamily) {
  auto r = parse_jwks(
      jwks({jwk_of(Algorithm::kRS256), jwk_of(Algorithm::kPS384), jwk_of(Algorithm::kES256),
            jwk_of(Algorithm::kES512), jwk_of(Algorithm::kEdDSA)}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->keys.size(), 5u);
  EXPECT_TRUE(r->skipped.empty());
  ASSERT_NE(r->keys.find("ES512"), nullptr);
  EXPECT_EQ(r->keys.find("ES512")->curve(), Curve::kP521);
}

TEST(Jwks, RejectsJwksWithDuplicateKids) {
  bj::object a = jwk_of(Algorithm::kES256);
  bj::object b = jwk_of(Algorithm::kEdDSA);
  b["kid"] = "ES256";
  auto r = parse_jwks(jwks({a, b}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, "JWKS has duplicate kid \"ES256\"");
}

TEST(Jwks, RejectsJwksWithPrivateMemberD) {
  bj::object a = jwk_of(Algorithm::kES256);
  a["d"] = "AAAA";
  auto r = parse_jwks(jwks({jwk_of(Algorithm::kEdDSA), a}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, "JWKS key 1 has private member d");
}

TEST(Jwks, RejectsPublicJwksWithSharedSecret) {
  bj::object oct{{"kty", "oct"}, {"kid", "h"}, {"k", base64url_encode(Bytes(32, 9))}};
  auto r = parse_jwks(jwks({jwk_of(Algorithm::kES256), oct}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message,
            "JWKS key 1 has private member k (a shared secret in a public JWKS)");
}

TEST(Jwks, SkipsUnsupportedKeyTypeAndReportsIt) {
  bj::object x25519{
      {"kty", "OKP"}, {"kid", "x"}, {"crv", "X25519"}, {"x", base64url_encode(Bytes(32, 3))}};
  bj::object odd{{"kty", "foo"}, {"kid", "f"}};
  auto r = parse_jwks(jwks({x25519, jwk_of(Algorithm::kES256), odd, 42}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->keys.size(), 1u);
  ASSERT_EQ(r->skipped.size(), 3u);
  EXPECT_EQ(r->skipped[0].index, 0u);
  EXPECT_EQ(r->skipped[0].kid, "x");
  EXPECT_EQ(r->skipped[0].reason, "JWK crv is missing or not supported for kty OKP");
  EXPECT_EQ(r->skipped[1].reason, "JWK kty is not supported");
  EXPECT_EQ(r->skipped[2].index, 3u);
  EXPECT_EQ(r->skipped[2].reason, "not a JSON object");
}

TEST(Jwks, SkipsUnusableKeyAndKeepsTheOthers) {
  bj::object enc = jwk_of(Algorithm::kRS256);
  enc["use"] = "enc";
  enc["kid"] = "enc-key";
  bj::object small{
      {"kty", "RSA"}, {"kid", "small"}, {"n", base64url_encode(Bytes(128, 0xc5))}, {"e", "AQAB"}};
  auto r = parse_jwks(jwks({enc, small, jwk_of(Algorithm::kES256)}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->keys.size(), 1u);
  ASSERT_EQ(r->skipped.size(), 2u);
  EXPECT_EQ(r->skipped[0].reason, "JWK use is not \"sig\"");
  EXPECT_EQ(r->skipped[1].reason, "RSA modulus is 1024 bits; accepted are 2048 to 8192");
}

TEST(Jwks, RejectsJwksWithTooManyKeys) {
  bj::array keys;
  for (int i = 0; i < 3; ++i) {
    bj::object k = jwk_of(Algorithm::kEdDSA);
    k["kid"] = "k" + std::to_string(i);
    keys.push_back(k);
  }
  auto r = parse_jwks(jwks(keys), JwksLimits{256 * 1024, 2});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "JWKS has 3 keys; at most 2 are accepted");
  EXPECT_TRUE(parse_jwks(jwks(keys), JwksLimits{256 * 1024, 3}).ok());
}

TEST(Jwks, RejectsJwksLargerThanLimit) {
  auto r = parse_jwks(jwks({jwk_of(Algorithm::kRS256)}), JwksLimits{100, 100});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, "JWKS is larger than 100 bytes");
}

TEST(Jwks, RejectsDuplicateMemberInJwks) {
  auto r = parse_jwks(R"({"keys":[{"kty":"OKP","kty":"EC"}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "JWKS JSON has a duplicate member name \"kty\"");
}

TEST(Jwks, RejectsDocumentWithoutKeysArray) {
  EXPECT_EQ(parse_jwks(R"({"keys":{}})").error().message, "JWKS has no \"keys\" array");
  EXPECT_EQ(parse_jwks(R"([])").code(), Errc::kInvalidArgument);
}

TEST(Jwks, SharedSecretSetAcceptsOnlyOctKeys) {
  bj::object oct{
      {"kty", "oct"}, {"kid", "h"}, {"alg", "HS256"}, {"k", base64url_encode(Bytes(32, 9))}};
  auto ok = parse_shared_secret_jwks(jwks({oct}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->keys.size(), 1u);
  auto mixed = parse_shared_secret_jwks(jwks({oct, jwk_of(Algorithm::kES256)}));
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error().message,
            "JWKS key 1 is not a shared secret (kty oct) in a shared-secret set");
}

TEST(Jwks, SharedSecretSetSkipsShortSecrets) {
  bj::object shorty{
      {"kty", "oct"}, {"kid", "s"}, {"alg", "HS512"}, {"k", base64url_encode(Bytes(63, 9))}};
  auto r = parse_shared_secret_jwks(jwks({shorty}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->keys.empty());
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].reason, "shared secret is shorter than 64 bytes");
}

TEST(KeySelection, MatchesKidExactlyAsALookupKey) {
  KeySet set = test::keyset_of({&key_for(Algorithm::kES256)});
  EXPECT_TRUE(set.select(std::string("ES256"), Algorithm::kES256).ok());
  for (const char* kid : {"es256", "ES25", "ES256 ", "./ES256", "ES256?x=1", "*"}) {
    auto r = set.select(std::string(kid), Algorithm::kES256);
    ASSERT_FALSE(r.ok()) << kid;
    EXPECT_EQ(r.code(), Errc::kUnknownKey);
  }
  EXPECT_EQ(set.select(std::string("nope"), Algorithm::kES256).error().message,
            "no key with kid \"nope\"");
}

TEST(KeySelection, KidOfWrongFamilyIsDisallowedAlgorithm) {
  KeySet set = test::keyset_of({&key_for(Algorithm::kRS256)});
  auto r = set.select(std::string("RS256"), Algorithm::kHS256);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kDisallowedAlgorithm);
  EXPECT_EQ(r.error().message, "kid \"RS256\": key is of kty RSA and cannot verify HS256");
}

TEST(KeySelection, TokenWithoutKidUsesTheOnlyCompatibleKey) {
  KeySet set = test::keyset_of({&key_for(Algorithm::kES256), &key_for(Algorithm::kEdDSA)});
  auto r = set.select(std::nullopt, Algorithm::kEdDSA);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->kid(), "EdDSA");
  EXPECT_EQ(set.select(std::nullopt, Algorithm::kES384).error().message, "no key can verify ES384");
}

TEST(KeySelection, TokenWithoutKidIsRefusedWhenSeveralKeysFit) {
  KeySet set;
  for (const char* kid : {"a", "b"}) {
    auto k = SigningKey::generate(Algorithm::kEdDSA, kid);
    ASSERT_TRUE(k.ok());
    ASSERT_TRUE(set.add(k->verification_key().value()).ok());
  }
  auto r = set.select(std::nullopt, Algorithm::kEdDSA);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kUnknownKey);
  EXPECT_EQ(r.error().message, "token has no kid and 2 keys can verify EdDSA");
}

TEST(KeySelection, KeyWithoutKidNeverMatchesATokenKid) {
  auto k = SigningKey::generate(Algorithm::kEdDSA, "");
  ASSERT_TRUE(k.ok());
  KeySet set;
  ASSERT_TRUE(set.add(k->verification_key().value()).ok());
  EXPECT_EQ(set.select(std::string("any"), Algorithm::kEdDSA).code(), Errc::kUnknownKey);
  EXPECT_TRUE(set.select(std::nullopt, Algorithm::kEdDSA).ok());
}

TEST(KeySelection, AddRefusesDuplicateKid) {
  KeySet set = test::keyset_of({&key_for(Algorithm::kES256)});
  auto again = key_for(Algorithm::kES256).verification_key();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(set.add(*again).code(), Errc::kInvalidArgument);
}

}  // namespace
}  // namespace sg::jose
