// Rules 1, 3 and 4: token shape, header members, algorithm allow-list, typ.
#include <gtest/gtest.h>

#include "jose/base64url.hpp"
#include "jose/jws.hpp"
#include "jose/verify.hpp"
#include "test_support.hpp"

namespace sg::jose {
namespace {

using test::claims_json;
using test::key_for;
using test::make_jws;

const SigningKey& es256() {
  return key_for(Algorithm::kES256);
}
KeySet keys() {
  return test::keyset_of({&es256(), &key_for(Algorithm::kHS256)});
}

Errc verify_code(std::string_view token, const VerifyOptions& opts = test::options()) {
  auto r = verify_jws(token, keys(), opts, test::at(test::kNow));
  return r.ok() ? Errc::kInternal : r.code();  // kInternal stands for "accepted" here
}

std::string with_header(std::string_view header) {
  return make_jws(header, claims_json(), es256());
}

TEST(JwsVerify, AcceptsWellFormedToken) {
  auto r = verify_jws(with_header(R"({"alg":"ES256","kid":"ES256","typ":"JWT"})"), keys(),
                      test::options(), test::at(test::kNow));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->header.alg, Algorithm::kES256);
  EXPECT_EQ(r->claims.sub(), "alice");
}

// Rule 1.
TEST(JwsVerify, RejectsTokenLongerThan16KiB) {
  const std::string big = R"({"pad":")" + std::string(13000, 'x') + R"("})";
  const std::string token = make_jws(R"({"alg":"ES256","kid":"ES256"})", big, es256());
  ASSERT_GT(token.size(), kMaxTokenBytes);
  auto r = split_compact(token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "token is longer than 16384 bytes");
  EXPECT_EQ(verify_code(token), Errc::kMalformedToken);
}

TEST(JwsVerify, RejectsJsonSerialization) {
  const std::string token =
      R"({"payload":"e30","signatures":[{"protected":"e30","signature":""}]})";
  auto r = split_compact(token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message,
            "token contains a character outside A-Z a-z 0-9 - _ . (not a compact JWS)");
}

TEST(JwsVerify, RejectsFiveSegmentJwe) {
  auto r = split_compact("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "token has five segments (JWE); only JWS is accepted");
}

TEST(JwsVerify, RejectsWrongSegmentCount) {
  const std::string good = with_header(R"({"alg":"ES256","kid":"ES256"})");
  for (const std::string& t : {good.substr(0, good.rfind('.')), good + ".", good + ".x",
                               std::string(""), std::string("abc")}) {
    EXPECT_EQ(verify_code(t), Errc::kMalformedToken) << t;
  }
}

TEST(JwsVerify, RejectsEmptyHeaderOrPayloadSegment) {
  const std::string good = with_header(R"({"alg":"ES256","kid":"ES256"})");
  const std::size_t d1 = good.find('.');
  const std::size_t d2 = good.rfind('.');
  EXPECT_EQ(split_compact(good.substr(d1)).error().message, "token header segment is empty");
  EXPECT_EQ(split_compact(good.substr(0, d1 + 1) + good.substr(d2)).error().message,
            "token payload segment is empty");
}

TEST(JwsVerify, RejectsEmptySignatureAsBadSignature) {
  const std::string good = with_header(R"({"alg":"ES256","kid":"ES256"})");
  EXPECT_EQ(verify_code(good.substr(0, good.rfind('.') + 1)), Errc::kBadSignature);
}

TEST(JwsVerify, RejectsWhitespaceAndOtherCharactersInToken) {
  const std::string good = with_header(R"({"alg":"ES256","kid":"ES256"})");
  for (const std::string& t : {" " + good, good + "\n", good.substr(0, 10) + " " + good.substr(10),
                               good.substr(0, 10) + "+" + good.substr(11)}) {
    EXPECT_EQ(verify_code(t), Errc::kMalformedToken);
  }
}

// Rule 2 at token level.
TEST(JwsVerify, RejectsPaddedSegment) {
  const std::string good = with_header(R"({"alg":"ES256","kid":"ES256"})");
  // '=' is outside the token alphabet, so padding never reaches the decoder.
  EXPECT_EQ(verify_code(good + "="), Errc::kMalformedToken);
}

TEST(JwsVerify, RejectsNonZeroTrailingBitsInSignature) {
  const std::string good = with_header(R"({"alg":"ES256","kid":"ES256"})");
  // 64 bytes encode to 86 characters: the last one has 4 unused bits.
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string t = good;
  t.back() = kAlphabet[kAlphabet.find(t.back()) | 1];
  auto r = parse_compact_jws(t);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "signature segment: base64url has non-zero unused trailing bits");
}

// Rule 3.
TEST(JwsVerify, RejectsAlgNone) {
  const std::string token = base64url_encode(std::string_view(R"({"alg":"none"})")) + "." +
                            base64url_encode(claims_json()) + ".";
  auto r = verify_jws(token, keys(), test::options(), test::at(test::kNow));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kDisallowedAlgorithm);
  EXPECT_EQ(r.error().message, "alg none (unsecured JWS) is never accepted");
}

TEST(JwsVerify, RejectsAlgNameInOtherCase) {
  for (std::string_view alg : {"NONE", "None", "es256", "Es256", "ES521", "HS1"}) {
    const std::string header = R"({"alg":")" + std::string(alg) + R"(","kid":"ES256"})";
    auto r = parse_header(header);
    ASSERT_FALSE(r.ok()) << alg;
    EXPECT_EQ(r.code(), Errc::kDisallowedAlgorithm) << alg;
  }
}

TEST(JwsVerify, RejectsAlgNotInAllowList) {
  VerifyOptions opts = test::options();
  opts.algorithms = {Algorithm::kRS256};
  auto r = verify_jws(with_header(R"({"alg":"ES256","kid":"ES256"})"), keys(), opts,
                      test::at(test::kNow));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kDisallowedAlgorithm);
  EXPECT_EQ(r.error().message, "alg ES256 is not allowed for this issuer");
}

TEST(JwsVerify, RejectsEmptyAllowList) {
  VerifyOptions opts = test::options();
  opts.algorithms.clear();
  EXPECT_EQ(verify_code(with_header(R"({"alg":"ES256","kid":"ES256"})"), opts),
            Errc::kInvalidArgument);
}

TEST(JwsVerify, RejectsMissingOrNonStringAlg) {
  EXPECT_EQ(parse_header(R"({"kid":"ES256"})").error().message, "header has no alg");
  EXPECT_EQ(parse_header(R"({"alg":["ES256"]})").error().message,
            "header member alg is not a string");
  EXPECT_EQ(parse_header(R"({"alg":null})").code(), Errc::kMalformedToken);
}

struct RefusedMember {
  const char* name;
  const char* header;
  const char* message;
};

class JwsHeaderRefuses : public ::testing::TestWithParam<RefusedMember> {};

TEST_P(JwsHeaderRefuses, MemberWithExactError) {
  const RefusedMember& m = GetParam();
  auto parsed = parse_header(m.header);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.code(), Errc::kMalformedToken);
  EXPECT_EQ(parsed.error().message, m.message);
  EXPECT_EQ(verify_code(with_header(m.header)), Errc::kMalformedToken);
}

INSTANTIATE_TEST_SUITE_P(
    JwsVerify, JwsHeaderRefuses,
    ::testing::Values(
        RefusedMember{"RejectsHeaderWithCrit", R"({"alg":"ES256","kid":"ES256","crit":["exp"]})",
                      "header member crit is not supported"},
        RefusedMember{"RejectsHeaderWithB64", R"({"alg":"ES256","kid":"ES256","b64":true})",
                      "header member b64 is not supported"},
        RefusedMember{"RejectsHeaderWithZip", R"({"alg":"ES256","kid":"ES256","zip":"DEF"})",
                      "header member zip is not supported"},
        RefusedMember{"RejectsHeaderWithEnc", R"({"alg":"ES256","kid":"ES256","enc":"A128GCM"})",
                      "header member enc is not supported"},
        RefusedMember{"RejectsCtyJwt", R"({"alg":"ES256","kid":"ES256","cty":"JWT"})",
                      "header cty JWT (nested token) is not accepted"},
        RefusedMember{"RejectsCtyApplicationJwt",
                      R"({"alg":"ES256","kid":"ES256","cty":"application/JWT"})",
                      "header cty JWT (nested token) is not accepted"},
        RefusedMember{"RejectsJwkInHeader",
                      R"({"alg":"ES256","kid":"ES256","jwk":{"kty":"EC","crv":"P-256"}})",
                      "header member jwk is refused: keys come only from the issuer's trusted "
                      "key set"},
        RefusedMember{"RejectsJkuInHeader",
                      R"({"alg":"ES256","kid":"ES256","jku":"https://evil.example/jwks"})",
                      "header member jku is refused: keys come only from the issuer's trusted "
                      "key set"},
        RefusedMember{"RejectsX5uInHeader",
                      R"({"alg":"ES256","kid":"ES256","x5u":"https://evil.example/c.pem"})",
                      "header member x5u is refused: keys come only from the issuer's trusted "
                      "key set"},
        RefusedMember{"RejectsX5cInHeader", R"({"alg":"ES256","kid":"ES256","x5c":["MIIB"]})",
                      "header member x5c is refused: keys come only from the issuer's trusted "
                      "key set"},
        RefusedMember{"RejectsDuplicateMemberInHeader",
                      R"({"alg":"ES256","kid":"ES256","kid":"other"})",
                      "header JSON has a duplicate member name \"kid\""},
        RefusedMember{"RejectsEmptyKid", R"({"alg":"ES256","kid":""})", "header kid is empty"},
        RefusedMember{"RejectsNonStringKid", R"({"alg":"ES256","kid":7})",
                      "header member kid is not a string"},
        RefusedMember{"RejectsHeaderThatIsNotAnObject", R"(["ES256"])",
                      "header is not a JSON object"}),
    [](const ::testing::TestParamInfo<RefusedMember>& p) { return p.param.name; });

TEST(JwsVerify, AcceptsOtherCtyValues) {
  EXPECT_TRUE(parse_header(R"({"alg":"ES256","cty":"json"})").ok());
}

// Rule 4.
TEST(JwsVerify, AcceptsTypCaseInsensitivelyWithApplicationPrefix) {
  VerifyOptions opts = test::options();
  opts.types = std::vector<std::string>{"at+jwt"};
  for (std::string_view typ : {"at+jwt", "AT+JWT", "application/at+jwt", "Application/At+JWT"}) {
    const std::string h = R"({"alg":"ES256","kid":"ES256","typ":")" + std::string(typ) + "\"}";
    EXPECT_EQ(verify_code(with_header(h), opts), Errc::kInternal) << typ;  // accepted
  }
}

TEST(JwsVerify, RejectsTypNotAccepted) {
  VerifyOptions opts = test::options();
  opts.types = std::vector<std::string>{"vnd.backstage.user"};
  auto r = verify_jws(with_header(R"({"alg":"ES256","kid":"ES256","typ":"JWT"})"), keys(), opts,
                      test::at(test::kNow));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "header typ \"JWT\" is not accepted");
  // A typ with a different media-type prefix is another type.
  EXPECT_EQ(
      verify_code(with_header(R"({"alg":"ES256","kid":"ES256","typ":"text/vnd.backstage.user"})"),
                  opts),
      Errc::kMalformedToken);
}

TEST(JwsVerify, RejectsMissingTypWhenTypesConfigured) {
  VerifyOptions opts = test::options();
  opts.types = std::vector<std::string>{"JWT"};
  auto r = verify_jws(with_header(R"({"alg":"ES256","kid":"ES256"})"), keys(), opts,
                      test::at(test::kNow));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "header typ is missing");
}

TEST(JwsVerify, NormalizesMediaTypes) {
  EXPECT_EQ(normalize_media_type("JWT"), "application/jwt");
  EXPECT_EQ(normalize_media_type("application/JWT"), "application/jwt");
  EXPECT_EQ(normalize_media_type("vnd.backstage.user"), "application/vnd.backstage.user");
}

TEST(JwsVerify, ErrorsNeverEchoTheToken) {
  const std::string token = with_header(R"({"alg":"ES256","kid":"nope"})");
  auto r = verify_jws(token, keys(), test::options(), test::at(test::kNow));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kUnknownKey);
  EXPECT_EQ(r.error().message, "no key with kid \"nope\"");
  EXPECT_EQ(r.error().message.find(token.substr(0, 20)), std::string::npos);
}

}  // namespace
}  // namespace sg::jose
