// Rule 7: claims types, issuer, audience, times and leeway; rule 8: claims only after all checks.
#include "jose/claims.hpp"

#include <gtest/gtest.h>

#include "jose/sign.hpp"
#include "jose/verify.hpp"
#include "test_support.hpp"

namespace sg::jose {
namespace {

using test::kNow;

// Claims with `extra` members appended to a minimal valid set (iss, aud, exp = now + 600).
std::string with(std::string_view extra, bool base_exp = true) {
  std::string s = R"({"iss":"https://issuer.example","aud":"stackgate")";
  if (base_exp) s += R"(,"exp":)" + std::to_string(kNow + 600);
  if (!extra.empty()) {
    s += ',';
    s += extra;
  }
  return s + "}";
}

Result<Claims> check(std::string_view json, const VerifyOptions& opts = test::options(),
                     std::int64_t now = kNow) {
  return validate_claims_json(json, opts, test::at(now));
}

void expect_error(const Result<Claims>& r, Errc code, std::string_view message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), code);
  EXPECT_EQ(r.error().message, message);
}

TEST(Claims, AcceptsValidClaimsAndExposesTypedAccessors) {
  auto r = check(test::claims_json() + "");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->iss(), "https://issuer.example");
  EXPECT_EQ(r->sub(), "alice");
  EXPECT_EQ(r->aud(), std::vector<std::string>{"stackgate"});
  EXPECT_EQ(r->exp(), kNow + 600);
  EXPECT_EQ(r->iat(), kNow);
  EXPECT_FALSE(r->nbf().has_value());
  EXPECT_FALSE(r->jti().has_value());
  EXPECT_EQ(r->text(), test::claims_json());
  const boost::json::object all = r->json();
  ASSERT_NE(all.if_contains("sub"), nullptr);
  EXPECT_EQ(all.at("sub").as_string(), "alice");
  EXPECT_EQ(all.size(), boost::json::parse(test::claims_json()).as_object().size());
}

TEST(Claims, ComparesTheUnescapedIssuerAndAudience) {
  auto r = check(R"({"iss":"https:\/\/issuer.\u0065xample","aud":["x","st\u0061ckgate"],)"
                 R"("exp":1700000600,"sub":"\u00e9l\u00e8ve"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->iss(), "https://issuer.example");
  EXPECT_EQ(r->aud(), (std::vector<std::string>{"x", "stackgate"}));
  EXPECT_EQ(r->sub(), "\xc3\xa9l\xc3\xa8ve");
}

TEST(Claims, ReadsLongEscapedStringsWhole) {
  // Long strings with escapes reach the scanner in several parts; each must be read whole.
  std::string sub;
  std::string escaped;
  for (int i = 0; i < 2600; ++i) {  // 7,800 characters: more than the parser's 4 KiB buffer
    sub += "a\"/";
    escaped += "a\\\"\\/";
  }
  auto r = check(with(R"("sub":")" + escaped + R"(","jti":"x\u0041")"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sub(), sub);
  EXPECT_EQ(r->jti(), "xA");
}

TEST(Claims, IgnoresRegisteredNamesBelowTheTopLevel) {
  auto r = check(with(R"("act":{"iss":1,"aud":[2],"exp":"x"},"other":[{"sub":3}])"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->iss(), "https://issuer.example");
  EXPECT_FALSE(r->sub().has_value());
}

TEST(Claims, RejectsWrongIssuer) {
  expect_error(check(R"({"iss":"https://evil.example","aud":"stackgate","exp":1700000600})"),
               Errc::kWrongIssuer, "issuer mismatch");
}

TEST(Claims, ComparesIssuerByteForByte) {
  for (std::string_view iss : {"https://issuer.example/", "HTTPS://issuer.example",
                               "https://issuer.example ", "https://issuer.exampl"}) {
    const std::string json =
        R"({"iss":")" + std::string(iss) + R"(","aud":"stackgate","exp":1700000600})";
    EXPECT_EQ(check(json).code(), Errc::kWrongIssuer) << iss;
  }
}

TEST(Claims, RejectsMissingIssuerWhenConfigured) {
  expect_error(check(R"({"aud":"stackgate","exp":1700000600})"), Errc::kWrongIssuer,
               "claim iss is missing");
}

TEST(Claims, AcceptsMissingIssuerWhenNotConfigured) {
  VerifyOptions opts = test::options();
  opts.issuer.reset();
  EXPECT_TRUE(check(R"({"aud":"stackgate","exp":1700000600})", opts).ok());
}

TEST(Claims, RejectsIssuerThatIsNotAString) {
  expect_error(check(R"({"iss":["https://issuer.example"],"aud":"stackgate","exp":1700000600})"),
               Errc::kMalformedToken, "claim iss is not a string");
}

TEST(Claims, RejectsAudienceMismatch) {
  expect_error(check(R"({"iss":"https://issuer.example","aud":"other","exp":1700000600})"),
               Errc::kWrongAudience, "audience mismatch");
  expect_error(check(R"({"iss":"https://issuer.example","aud":"Stackgate","exp":1700000600})"),
               Errc::kWrongAudience, "audience mismatch");
}

TEST(Claims, RejectsMissingAudienceWhenConfigured) {
  expect_error(check(R"({"iss":"https://issuer.example","exp":1700000600})"), Errc::kWrongAudience,
               "claim aud is missing");
}

TEST(Claims, AcceptsAudArrayContainingAConfiguredAudience) {
  auto r = check(R"({"iss":"https://issuer.example","aud":["a","stackgate"],"exp":1700000600})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->aud(), (std::vector<std::string>{"a", "stackgate"}));
}

TEST(Claims, RejectsAudArrayWithNonString) {
  expect_error(check(R"({"iss":"https://issuer.example","aud":["stackgate",1],"exp":1700000600})"),
               Errc::kMalformedToken, "claim aud contains a non-string element");
  EXPECT_EQ(
      check(R"({"iss":"https://issuer.example","aud":["stackgate",null],"exp":1700000600})").code(),
      Errc::kMalformedToken);
}

TEST(Claims, RejectsAudArrayWithNestedContainers) {
  expect_error(check(R"({"iss":"https://issuer.example","aud":[["stackgate"]],"exp":1700000600})"),
               Errc::kMalformedToken, "claim aud contains a non-string element");
  expect_error(
      check(R"({"iss":"https://issuer.example","aud":["stackgate",{"a":"b"}],"exp":1700000600})"),
      Errc::kMalformedToken, "claim aud contains a non-string element");
}

TEST(Claims, AcceptsEmptyAudArrayOnlyWithoutAudienceCheck) {
  expect_error(check(R"({"iss":"https://issuer.example","aud":[],"exp":1700000600})"),
               Errc::kWrongAudience, "claim aud is missing");
  VerifyOptions opts = test::options();
  opts.audiences.reset();
  auto r = check(R"({"iss":"https://issuer.example","aud":[],"exp":1700000600})", opts);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->aud().empty());
}

TEST(Claims, RejectsAudThatIsNeitherStringNorArray) {
  expect_error(check(R"({"iss":"https://issuer.example","aud":{"x":1},"exp":1700000600})"),
               Errc::kMalformedToken, "claim aud is neither a string nor an array of strings");
}

TEST(Claims, RejectsExpAsString) {
  expect_error(check(with(R"("exp":"1700000600")", false)), Errc::kMalformedToken,
               "claim exp is not a number");
}

TEST(Claims, RejectsExpAsBoolOrNull) {
  EXPECT_EQ(check(with(R"("exp":true)", false)).code(), Errc::kMalformedToken);
  EXPECT_EQ(check(with(R"("exp":null)", false)).code(), Errc::kMalformedToken);
}

TEST(Claims, RejectsMissingExp) {
  expect_error(check(with("", false)), Errc::kMalformedToken, "claim exp is missing");
  VerifyOptions opts = test::options();
  opts.require_exp = false;
  EXPECT_TRUE(check(with("", false), opts).ok());
}

TEST(Claims, RejectsExpThatOverflowsToInfinity) {
  expect_error(check(with(R"("exp":1e400)", false)), Errc::kMalformedToken,
               "claims JSON has a number out of range");
}

TEST(Claims, RejectsOutOfRangeNumericDates) {
  for (std::string_view v : {"-1", "253402300800", "18446744073709551615", "1e300", "-0.5"}) {
    expect_error(check(with(R"("exp":)" + std::string(v), false)), Errc::kMalformedToken,
                 "claim exp is out of range");
  }
  expect_error(check(with(R"("nbf":-5)")), Errc::kMalformedToken, "claim nbf is out of range");
}

TEST(Claims, RejectsNbfAndIatThatAreNotNumbers) {
  expect_error(check(with(R"("nbf":"1")")), Errc::kMalformedToken, "claim nbf is not a number");
  expect_error(check(with(R"("iat":[1])")), Errc::kMalformedToken, "claim iat is not a number");
  expect_error(check(with(R"("sub":42)")), Errc::kMalformedToken, "claim sub is not a string");
  expect_error(check(with(R"("jti":{})")), Errc::kMalformedToken, "claim jti is not a string");
}

TEST(Claims, RejectsExpiredToken) {
  expect_error(check(test::claims_json(), test::options(), kNow + 600 + 30), Errc::kExpired,
               "token expired");
  expect_error(check(test::claims_json(), test::options(), kNow + 100000), Errc::kExpired,
               "token expired");
}

TEST(Claims, AcceptsExpWithinLeeway) {
  EXPECT_TRUE(check(test::claims_json(), test::options(), kNow + 600).ok());
  EXPECT_TRUE(check(test::claims_json(), test::options(), kNow + 629).ok());
  VerifyOptions opts = test::options();
  opts.leeway = std::chrono::seconds(0);
  EXPECT_EQ(check(test::claims_json(), opts, kNow + 600).code(), Errc::kExpired);
  EXPECT_TRUE(check(test::claims_json(), opts, kNow + 599).ok());
}

TEST(Claims, AcceptsFractionalNumericDates) {
  auto r = check(with(R"("nbf":1699999999.75)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->nbf(), 1699999999);
}

TEST(Claims, RejectsNbfInTheFuture) {
  expect_error(check(with(R"("nbf":)" + std::to_string(kNow + 31))), Errc::kNotYetValid,
               "token not valid yet (nbf is in the future)");
}

TEST(Claims, AcceptsNbfWithinLeeway) {
  EXPECT_TRUE(check(with(R"("nbf":)" + std::to_string(kNow + 30))).ok());
}

TEST(Claims, RejectsIatInTheFuture) {
  expect_error(check(with(R"("iat":)" + std::to_string(kNow + 3600))), Errc::kNotYetValid,
               "token issued in the future (iat)");
  EXPECT_TRUE(check(with(R"("iat":)" + std::to_string(kNow + 20))).ok());
}

TEST(Claims, RejectsLeewayAboveMaximum) {
  VerifyOptions opts = test::options();
  opts.leeway = std::chrono::seconds(301);
  expect_error(check(test::claims_json(), opts), Errc::kInvalidArgument,
               "leeway must be between 0 and 300 seconds");
  opts.leeway = std::chrono::seconds(-1);
  EXPECT_EQ(check(test::claims_json(), opts).code(), Errc::kInvalidArgument);
}

TEST(Claims, RejectsEmptyConfiguredAudienceList) {
  VerifyOptions opts = test::options();
  opts.audiences = std::vector<std::string>{};
  EXPECT_EQ(check(test::claims_json(), opts).code(), Errc::kInvalidArgument);
}

TEST(Claims, TypeErrorsAreReportedBeforeValueChecks) {
  // Wrong issuer and a string exp: the malformed exp wins.
  EXPECT_EQ(check(R"({"iss":"x","aud":"stackgate","exp":"soon"})").code(), Errc::kMalformedToken);
}

TEST(JwsVerify, RejectsDuplicateMemberInClaims) {
  const SigningKey& key = test::key_for(Algorithm::kES256);
  const std::string token = test::make_jws(
      R"({"alg":"ES256","kid":"ES256"})",
      R"({"iss":"https://issuer.example","aud":"stackgate","exp":1700000600,"sub":"alice","sub":"admin"})",
      key);
  auto r = verify_jws(token, test::keyset_of({&key}), test::options(), test::at(kNow));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "claims JSON has a duplicate member name \"sub\"");
}

TEST(JwsVerify, RejectsDuplicateMemberNestedInClaims) {
  const SigningKey& key = test::key_for(Algorithm::kES256);
  const std::string token = test::make_jws(
      R"({"alg":"ES256","kid":"ES256"})",
      R"({"iss":"https://issuer.example","aud":"stackgate","exp":1700000600,"act":{"sub":"a","sub":"b"}})",
      key);
  EXPECT_EQ(verify_jws(token, test::keyset_of({&key}), test::options(), test::at(kNow)).code(),
            Errc::kMalformedToken);
}

TEST(JwsVerify, RejectsPayloadThatIsNotAClaimsObject) {
  const SigningKey& key = test::key_for(Algorithm::kES256);
  for (std::string_view payload : {"Payload", "[1]", "\"x\""}) {
    const std::string token = test::make_jws(R"({"alg":"ES256","kid":"ES256"})", payload, key);
    EXPECT_EQ(verify_jws(token, test::keyset_of({&key}), test::options(), test::at(kNow)).code(),
              Errc::kMalformedToken);
  }
}

TEST(JwsVerify, ChecksSignatureBeforeClaims) {
  // An expired token with a bad signature reports the signature.
  const SigningKey& key = test::key_for(Algorithm::kES256);
  const std::string token = sign_jws({}, test::claims_json(), key).value();
  auto r = verify_jws(test::flip_char(token, token.rfind('.') + 3), test::keyset_of({&key}),
                      test::options(), test::at(kNow + 100000));
  EXPECT_EQ(r.code(), Errc::kBadSignature);
}

}  // namespace
}  // namespace sg::jose
