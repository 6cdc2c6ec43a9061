// RFC 7515 Appendix A, RFC 8037 A.4 and RFC 7797 §4.2, from ../shared/testdata/jose.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "jose/base64url.hpp"
#include "jose/sign.hpp"
#include "jose/verify.hpp"
#include "test_support.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;

// The RFC examples carry exp = 1300819380 (2011-03-22T18:43:00Z).
constexpr std::int64_t kPinnedNow = 1300819000;

const bj::object* example(std::string_view section_prefix) {
  static const std::optional<bj::value> file = test::load_testdata("rfc7515-examples.json");
  if (!file) return nullptr;
  for (const bj::value& e : file->at("examples").as_array()) {
    const std::string section(e.at("rfc_section").as_string());
    if (section.rfind(section_prefix, 0) == 0) return &e.as_object();
  }
  ADD_FAILURE() << "no example " << section_prefix;
  return nullptr;
}

#define REQUIRE_EXAMPLE(var, prefix)                                  \
  const bj::object* var = example(prefix);                            \
  if (var == nullptr)                                                 \
    GTEST_SKIP() << "test data not found under " STACKGATE_SHARED_DIR \
                    "/testdata/jose (rfc7515-examples.json)";

VerifyOptions rfc_options(Algorithm alg) {
  VerifyOptions o;
  o.algorithms = {alg};
  o.issuer = "joe";
  return o;
}

KeySet public_set(const bj::object& ex) {
  KeySet keys;
  EXPECT_TRUE(keys.add(Jwk::parse_public(ex.at("jwk_public").as_object()).value()).ok());
  return keys;
}

KeySet secret_set(const bj::object& ex) {
  KeySet keys;
  EXPECT_TRUE(keys.add(Jwk::parse_shared_secret(ex.at("jwk_private").as_object()).value()).ok());
  return keys;
}

std::string compact(const bj::object& ex) {
  return std::string(ex.at("compact").as_string());
}

TEST(RfcExamples, Rfc7515A1Hs256VerifiesThroughSharedSecretApi) {
  REQUIRE_EXAMPLE(ex, "RFC 7515 Appendix A.1");
  auto r = verify_jws(compact(*ex), secret_set(*ex), rfc_options(Algorithm::kHS256),
                      test::at(kPinnedNow));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->claims.iss(), "joe");
  EXPECT_EQ(r->claims.exp(), 1300819380);
  EXPECT_EQ(r->claims.json().at("http://example.com/is_root").as_bool(), true);
  // The same token today: expired.
  EXPECT_EQ(verify_jws(compact(*ex), secret_set(*ex), rfc_options(Algorithm::kHS256),
                       test::at(test::kNow))
                .code(),
            Errc::kExpired);
  // The oct key is refused as a public key.
  EXPECT_EQ(Jwk::parse_public(ex->at("jwk_private").as_object()).code(), Errc::kInvalidArgument);
}

TEST(RfcExamples, Rfc7515A1Hs256SigningReproducesTheSignature) {
  REQUIRE_EXAMPLE(ex, "RFC 7515 Appendix A.1");
  auto secret = base64url_decode(ex->at("jwk_private").at("k").as_string());
  auto key = SigningKey::from_shared_secret(*secret, Algorithm::kHS256, "");
  ASSERT_TRUE(key.ok());
  const std::string input(ex->at("signing_input").as_string());
  const std::string token = compact(*ex);
  EXPECT_EQ(base64url_encode(sign_bytes(*key, input).value()), token.substr(token.rfind('.') + 1));
}

TEST(RfcExamples, Rfc7515A2Rs256Verifies) {
  REQUIRE_EXAMPLE(ex, "RFC 7515 Appendix A.2");
  auto r = verify_jws(compact(*ex), public_set(*ex), rfc_options(Algorithm::kRS256),
                      test::at(kPinnedNow));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->claims.iss(), "joe");
  // Private JWK members make the key unusable as a verification key.
  EXPECT_EQ(Jwk::parse_public(ex->at("jwk_private").as_object()).error().message,
            "JWK has private member d");
}

TEST(RfcExamples, Rfc7515A3Es256Verifies) {
  REQUIRE_EXAMPLE(ex, "RFC 7515 Appendix A.3");
  auto r = verify_jws(compact(*ex), public_set(*ex), rfc_options(Algorithm::kES256),
                      test::at(kPinnedNow));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->claims.exp(), 1300819380);
}

TEST(RfcExamples, Rfc7515A4Es512VerifiesAsJws) {
  REQUIRE_EXAMPLE(ex, "RFC 7515 Appendix A.4");
  auto r = verify_jws_signature(compact(*ex), public_set(*ex), rfc_options(Algorithm::kES512));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(std::string(as_chars(r->payload)), "Payload");
  // "Payload" is not a claims set, so it is not a JWT.
  EXPECT_EQ(verify_jws(compact(*ex), public_set(*ex), rfc_options(Algorithm::kES512),
                       test::at(kPinnedNow))
                .code(),
            Errc::kMalformedToken);
}

TEST(RfcExamples, Rfc7515A5AlgNoneIsRefused) {
  REQUIRE_EXAMPLE(ex, "RFC 7515 Appendix A.5");
  VerifyOptions opts = rfc_options(Algorithm::kHS256);
  opts.algorithms = all_algorithms();
  auto r = verify_jws(compact(*ex), KeySet{}, opts, test::at(kPinnedNow));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kDisallowedAlgorithm);
}

TEST(RfcExamples, Rfc8037Ed25519VerifiesAndSigningIsDeterministic) {
  REQUIRE_EXAMPLE(ex, "RFC 8037");
  auto r = verify_jws_signature(compact(*ex), public_set(*ex), rfc_options(Algorithm::kEdDSA));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(std::string(as_chars(r->payload)), "Example of Ed25519 signing");

  // Signing with d reproduces the signature (PKCS#8 wrapping of the raw 32-byte seed).
  const Bytes d = base64url_decode(ex->at("jwk_private").at("d").as_string()).value();
  Bytes der = test::hex("302e020100300506032b657004220420");
  der.insert(der.end(), d.begin(), d.end());
  auto key = SigningKey::import_der(der, Algorithm::kEdDSA, "");
  ASSERT_TRUE(key.ok()) << key.error().message;
  const std::string token = compact(*ex);
  EXPECT_EQ(base64url_encode(sign_bytes(*key, ex->at("signing_input").as_string()).value()),
            token.substr(token.rfind('.') + 1));
}

TEST(RfcExamples, Rfc7797UnencodedPayloadIsRefused) {
  REQUIRE_EXAMPLE(ex, "RFC 7797");
  auto r = verify_jws_signature(compact(*ex), secret_set(*ex), rfc_options(Algorithm::kHS256));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  // Its payload segment is empty (detached), which rule 1 refuses first.
  EXPECT_EQ(r.error().message, "token payload segment is empty");
  // Even re-attached, the header's b64/crit members are refused.
  const std::string token = compact(*ex);
  const std::string attached = token.substr(0, token.find('.') + 1) +
                               base64url_encode(std::string_view("$.02")) +
                               token.substr(token.rfind('.'));
  auto again = verify_jws_signature(attached, secret_set(*ex), rfc_options(Algorithm::kHS256));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), Errc::kMalformedToken);
  EXPECT_EQ(again.error().message, "header member crit is not supported");
}

}  // namespace
}  // namespace sg::jose
