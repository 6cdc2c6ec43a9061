// Project Wycheproof signature and MAC vectors through the JWS signature primitives (rule 6).
// "valid" must verify and "invalid" must fail; "acceptable" outcomes are counted and documented.
#include <gtest/gtest.h>

#include "jose/base64url.hpp"
#include "jose/signature.hpp"
#include "wycheproof_support.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;
using test::Tally;

#define LOAD_OR_SKIP(var, name)                                             \
  const std::optional<bj::value> var = test::load_wycheproof(name);         \
  if (!var)                                                                 \
    GTEST_SKIP() << "Wycheproof data not found under " STACKGATE_SHARED_DIR \
                    "/testdata/jose/wycheproof (" name "); vectors not run";

std::string str(const bj::value& v) {
  return std::string(v.as_string());
}
Bytes hex_of(const bj::value& v) {
  return test::hex(v.as_string());
}

// The group's EC key: its publicKeyJwk, else built from publicKey.wx/wy.
Result<Jwk> ec_key(const bj::object& group, Curve curve) {
  if (const bj::value* jwk = group.if_contains("publicKeyJwk")) {
    return Jwk::parse_public(jwk->as_object());
  }
  const bj::object& pk = group.at("publicKey").as_object();
  const std::size_t size = curve_field_size(curve);
  return Jwk::parse_public(
      bj::object{{"kty", "EC"},
                 {"crv", curve_name(curve)},
                 {"x", base64url_encode(test::fixed_width(pk.at("wx").as_string(), size))},
                 {"y", base64url_encode(test::fixed_width(pk.at("wy").as_string(), size))}});
}

// The group's RSA key from publicKey.modulus / publicExponent (hex).
Result<Jwk> rsa_key_from_hex(const bj::object& group) {
  const bj::object& pk = group.at("publicKey").as_object();
  return Jwk::parse_public(
      bj::object{{"kty", "RSA"},
                 {"n", base64url_encode(test::hex(pk.at("modulus").as_string()))},
                 {"e", base64url_encode(test::hex(pk.at("publicExponent").as_string()))}});
}

// Runs one vector: verified must equal the expectation for valid/invalid; acceptable is counted.
void record(Tally& t, const bj::object& test, bool verified) {
  ++t.seen;
  const std::string result = str(test.at("result"));
  const auto id = test.at("tcId").as_int64();
  if (result == "valid") {
    EXPECT_TRUE(verified) << t.file << " tcId " << id << " (" << str(test.at("comment")) << ")";
    t.valid_accepted += verified ? 1 : 0;
  } else if (result == "invalid") {
    EXPECT_FALSE(verified) << t.file << " tcId " << id << " (" << str(test.at("comment")) << ")";
    t.invalid_rejected += verified ? 0 : 1;
  } else {
    (verified ? t.acceptable_accepted : t.acceptable_rejected) += 1;
  }
}

void run_ecdsa_p1363(std::string_view file, const bj::value& doc, Algorithm alg) {
  Tally t{std::string(file)};
  for (const bj::value& g : doc.at("testGroups").as_array()) {
    auto key = ec_key(g.as_object(), required_curve(alg));
    ASSERT_TRUE(key.ok()) << file << ": " << key.error().message;
    for (const bj::value& v : g.at("tests").as_array()) {
      const Bytes msg = hex_of(v.at("msg"));
      const bool ok = verify_signature(alg, *key, test::as_view(msg), hex_of(v.at("sig"))).ok();
      record(t, v.as_object(), ok);
    }
  }
  t.print();
  EXPECT_EQ(t.seen, doc.at("numberOfTests").as_int64());
  EXPECT_EQ(t.acceptable_accepted + t.acceptable_rejected, 0);
}

TEST(Wycheproof, EcdsaP256P1363) {
  LOAD_OR_SKIP(doc, "ecdsa_secp256r1_sha256_p1363_test.json");
  run_ecdsa_p1363("ecdsa_secp256r1_sha256_p1363_test.json", *doc, Algorithm::kES256);
}

TEST(Wycheproof, EcdsaP384P1363) {
  LOAD_OR_SKIP(doc, "ecdsa_secp384r1_sha384_p1363_test.json");
  run_ecdsa_p1363("ecdsa_secp384r1_sha384_p1363_test.json", *doc, Algorithm::kES384);
}

TEST(Wycheproof, EcdsaP521P1363) {
  LOAD_OR_SKIP(doc, "ecdsa_secp521r1_sha512_p1363_test.json");
  run_ecdsa_p1363("ecdsa_secp521r1_sha512_p1363_test.json", *doc, Algorithm::kES512);
}

// Every DER-encoded signature, valid or not as DER, is refused by the ES256 verifier.
TEST(Wycheproof, EcdsaP256DerSignaturesAreAllRejected) {
  LOAD_OR_SKIP(doc, "ecdsa_secp256r1_sha256_test.json");
  int seen = 0, rejected = 0, der_valid = 0;
  for (const bj::value& g : doc->at("testGroups").as_array()) {
    auto key = ec_key(g.as_object(), Curve::kP256);
    ASSERT_TRUE(key.ok()) << key.error().message;
    for (const bj::value& v : g.at("tests").as_array()) {
      ++seen;
      der_valid += v.at("result") == "valid" ? 1 : 0;
      const Bytes msg = hex_of(v.at("msg"));
      auto r = verify_signature(Algorithm::kES256, *key, test::as_view(msg), hex_of(v.at("sig")));
      EXPECT_FALSE(r.ok()) << "tcId " << v.at("tcId").as_int64();
      if (!r.ok()) {
        EXPECT_EQ(r.code(), Errc::kBadSignature);
        ++rejected;
      }
    }
  }
  std::cout << "[wycheproof] ecdsa_secp256r1_sha256_test.json (DER): " << seen << " vectors ("
            << der_valid << " valid as DER), " << rejected << " rejected by ES256\n";
  EXPECT_EQ(seen, doc->at("numberOfTests").as_int64());
  EXPECT_EQ(rejected, seen);
}

void run_rsa_pkcs1(std::string_view file, const bj::value& doc) {
  Tally t{std::string(file)};
  for (const bj::value& g : doc.at("testGroups").as_array()) {
    auto key = Jwk::parse_public(g.at("keyJwk").as_object());  // e = 3 groups are accepted
    ASSERT_TRUE(key.ok()) << file << ": " << key.error().message;
    for (const bj::value& v : g.at("tests").as_array()) {
      const Bytes msg = hex_of(v.at("msg"));
      record(
          t, v.as_object(),
          verify_signature(Algorithm::kRS256, *key, test::as_view(msg), hex_of(v.at("sig"))).ok());
    }
  }
  t.print();
  EXPECT_EQ(t.seen, doc.at("numberOfTests").as_int64());
  // The one "acceptable" vector (tcId 8, MissingNull: DigestInfo without the NULL parameter) is
  // rejected: OpenSSL 3 compares the full encoding, and the stricter outcome is the one we want.
  EXPECT_EQ(t.acceptable_accepted, 0);
  EXPECT_EQ(t.acceptable_rejected, 1);
}

TEST(Wycheproof, RsaPkcs1Signature2048Sha256) {
  LOAD_OR_SKIP(doc, "rsa_signature_2048_sha256_test.json");
  run_rsa_pkcs1("rsa_signature_2048_sha256_test.json", *doc);
}

TEST(Wycheproof, RsaPkcs1Signature3072Sha256) {
  LOAD_OR_SKIP(doc, "rsa_signature_3072_sha256_test.json");
  run_rsa_pkcs1("rsa_signature_3072_sha256_test.json", *doc);
}

TEST(Wycheproof, RsaPss2048Sha256Salt32) {
  LOAD_OR_SKIP(doc, "rsa_pss_2048_sha256_mgf1_32_test.json");
  Tally t{"rsa_pss_2048_sha256_mgf1_32_test.json"};
  for (const bj::value& g : doc->at("testGroups").as_array()) {
    auto key = Jwk::parse_public(g.at("publicKeyJwk").as_object());
    ASSERT_TRUE(key.ok()) << key.error().message;
    for (const bj::value& v : g.at("tests").as_array()) {
      const Bytes msg = hex_of(v.at("msg"));
      record(
          t, v.as_object(),
          verify_signature(Algorithm::kPS256, *key, test::as_view(msg), hex_of(v.at("sig"))).ok());
    }
  }
  t.print();
  EXPECT_EQ(t.seen, doc->at("numberOfTests").as_int64());
}

// sLen = 0 is not PS256: with the salt length fixed to 32, every vector the file calls valid must
// fail. This is what proves the salt length is not auto-detected. The file's invalid vectors fail
// too, except "s_len changed to 32" (tcId 69): that one is a genuine PS256 signature and must
// verify.
TEST(Wycheproof, RsaPss2048Sha256Salt0IsNeverPs256) {
  LOAD_OR_SKIP(doc, "rsa_pss_2048_sha256_mgf1_0_test.json");
  int seen = 0, rejected = 0, file_valid = 0, salt32_accepted = 0;
  for (const bj::value& g : doc->at("testGroups").as_array()) {
    auto key = rsa_key_from_hex(g.as_object());
    ASSERT_TRUE(key.ok()) << key.error().message;
    for (const bj::value& v : g.at("tests").as_array()) {
      ++seen;
      file_valid += v.at("result") == "valid" ? 1 : 0;
      const Bytes msg = hex_of(v.at("msg"));
      const bool ok =
          verify_signature(Algorithm::kPS256, *key, test::as_view(msg), hex_of(v.at("sig"))).ok();
      if (v.at("comment") == "s_len changed to 32") {
        EXPECT_TRUE(ok) << "tcId " << v.at("tcId").as_int64();
        salt32_accepted += ok ? 1 : 0;
        continue;
      }
      EXPECT_FALSE(ok) << "tcId " << v.at("tcId").as_int64();
      rejected += ok ? 0 : 1;
    }
  }
  std::cout << "[wycheproof] rsa_pss_2048_sha256_mgf1_0_test.json: " << seen << " vectors ("
            << file_valid << " valid for sLen=0), " << rejected << " rejected as PS256, "
            << salt32_accepted << " genuine sLen=32 signature accepted\n";
  EXPECT_EQ(seen, doc->at("numberOfTests").as_int64());
  EXPECT_GT(file_valid, 0);
  EXPECT_EQ(salt32_accepted, 1);
  EXPECT_EQ(rejected + salt32_accepted, seen);
}

TEST(Wycheproof, Ed25519) {
  LOAD_OR_SKIP(doc, "ed25519_test.json");
  Tally t{"ed25519_test.json"};
  for (const bj::value& g : doc->at("testGroups").as_array()) {
    auto key = Jwk::parse_public(g.at("publicKeyJwk").as_object());
    ASSERT_TRUE(key.ok()) << key.error().message;
    for (const bj::value& v : g.at("tests").as_array()) {
      const Bytes msg = hex_of(v.at("msg"));
      record(
          t, v.as_object(),
          verify_signature(Algorithm::kEdDSA, *key, test::as_view(msg), hex_of(v.at("sig"))).ok());
    }
  }
  t.print();
  EXPECT_EQ(t.seen, doc->at("numberOfTests").as_int64());
}

// HS256 in JWS: full 32-byte tags and secrets of at least 32 bytes. Groups with 128-bit tags must
// be rejected whatever the file says; 128-bit keys are refused when the key is made.
TEST(Wycheproof, HmacSha256) {
  LOAD_OR_SKIP(doc, "hmac_sha256_test.json");
  Tally t{"hmac_sha256_test.json"};
  int truncated_rejected = 0, short_key_refused = 0;
  for (const bj::value& g : doc->at("testGroups").as_array()) {
    const auto key_bits = g.at("keySize").as_int64();
    const auto tag_bits = g.at("tagSize").as_int64();
    for (const bj::value& v : g.at("tests").as_array()) {
      auto key = Jwk::shared_secret(hex_of(v.at("key")), Algorithm::kHS256, std::nullopt);
      if (key_bits < 256) {
        EXPECT_EQ(key.code(), Errc::kInvalidArgument);
        ++short_key_refused;
        ++t.seen;
        ++t.strict_rejected;
        continue;
      }
      ASSERT_TRUE(key.ok()) << key.error().message;
      const Bytes msg = hex_of(v.at("msg"));
      const bool ok =
          verify_signature(Algorithm::kHS256, *key, test::as_view(msg), hex_of(v.at("tag"))).ok();
      if (tag_bits != 256) {
        EXPECT_FALSE(ok) << "tcId " << v.at("tcId").as_int64();
        ++t.seen;
        ++t.strict_rejected;
        truncated_rejected += ok ? 0 : 1;
        continue;
      }
      record(t, v.as_object(), ok);
    }
  }
  t.print();
  std::cout << "[wycheproof]   of which truncated-tag vectors rejected " << truncated_rejected
            << ", vectors with 128-bit keys refused at key load " << short_key_refused << "\n";
  EXPECT_EQ(t.seen, doc->at("numberOfTests").as_int64());
}

}  // namespace
}  // namespace sg::jose
