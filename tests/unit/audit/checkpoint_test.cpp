// Signed checkpoints: the exact JWS header and payload, the algorithms allowed, and what
// verification refuses.
#include "audit/checkpoint.hpp"

#include <gtest/gtest.h>

#include "audit_test_support.hpp"
#include "jose/base64url.hpp"
#include "jose/bytes.hpp"
#include "jose/sign.hpp"

namespace sg::audit {
namespace {

using test::eddsa_key;
using test::es256_key;
using test::keys_of;
using test::kT0;

const std::string kHash = "99a4053b457375eb43f82ee84d59d46613b05af0b4d6a00b3d669a01c75dbe1b";

std::string segment(const std::string& jws, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i)
    start = jws.find('.', start) + 1;
  const std::size_t end = jws.find('.', start);
  const std::string_view text = std::string_view(jws).substr(start, end - start);
  return std::string(jose::as_chars(jose::base64url_decode(text).value()));
}

TEST(Checkpoint, SignsCanonicalSeqHashAndTimeWithTypAndKid) {
  const Checkpoint c = make_checkpoint(ChainHead{42, kHash}, kT0 + std::chrono::microseconds(5));
  EXPECT_EQ(c.time, kT0);
  Result<SignedCheckpoint> signed_ = sign_checkpoint(c, es256_key());
  ASSERT_TRUE(signed_.ok()) << signed_.error().message;
  EXPECT_EQ(signed_->checkpoint, c);
  EXPECT_EQ(signed_->kid, "audit-test-es256");
  EXPECT_EQ(segment(signed_->jws, 0),
            R"({"alg":"ES256","kid":"audit-test-es256","typ":"stackgate-audit-checkpoint+jwt"})");
  EXPECT_EQ(segment(signed_->jws, 1),
            R"({"hash":")" + kHash + R"(","seq":42,"time":"2026-11-29T04:30:41.123Z"})");
}

TEST(Checkpoint, VerifiesWithEs256AndEdDsaKeys) {
  const jose::KeySet keys = keys_of({&es256_key(), &eddsa_key()});
  for (const jose::SigningKey* key : {&es256_key(), &eddsa_key()}) {
    const SignedCheckpoint c = sign_checkpoint({7, kHash, kT0}, *key).value();
    Result<Checkpoint> verified = verify_checkpoint(c.jws, keys);
    ASSERT_TRUE(verified.ok()) << verified.error().message;
    EXPECT_EQ(*verified, (Checkpoint{7, kHash, kT0}));
  }
}

TEST(Checkpoint, RefusesKeysOfOtherAlgorithms) {
  const jose::SigningKey rsa = jose::SigningKey::generate(jose::Algorithm::kRS256, "rsa").value();
  Result<SignedCheckpoint> r = sign_checkpoint({1, kHash, kT0}, rsa);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message,
            "checkpoint: keys for RS256 cannot sign checkpoints (ES256 or EdDSA only)");
  const jose::SigningKey es384 =
      jose::SigningKey::generate(jose::Algorithm::kES384, "p384").value();
  EXPECT_EQ(sign_checkpoint({1, kHash, kT0}, es384).code(), Errc::kInvalidArgument);
}

TEST(Checkpoint, RefusesToSignAnEmptyOrMalformedHead) {
  EXPECT_EQ(sign_checkpoint({0, std::string(kGenesisHash), kT0}, es256_key()).error().message,
            "checkpoint: not a head of a non-empty chain");
  EXPECT_EQ(sign_checkpoint({3, "abc", kT0}, es256_key()).code(), Errc::kInvalidArgument);
}

TEST(Checkpoint, VerificationRefusesAKeyNotInTheSet) {
  const SignedCheckpoint c = sign_checkpoint({7, kHash, kT0}, eddsa_key()).value();
  Result<Checkpoint> r = verify_checkpoint(c.jws, keys_of({&es256_key()}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kUnknownKey);
}

TEST(Checkpoint, VerificationRefusesAnAlteredPayload) {
  const SignedCheckpoint c = sign_checkpoint({7, kHash, kT0}, es256_key()).value();
  const std::size_t dot1 = c.jws.find('.');
  const std::size_t dot2 = c.jws.find('.', dot1 + 1);
  const std::string other = jose::base64url_encode(
      R"({"hash":")" + kHash + R"(","seq":8,"time":"2026-11-29T04:30:41.123Z"})");
  const std::string forged = c.jws.substr(0, dot1 + 1) + other + c.jws.substr(dot2);
  Result<Checkpoint> r = verify_checkpoint(forged, keys_of({&es256_key()}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kBadSignature);
}

TEST(Checkpoint, VerificationRefusesOtherTokenTypes) {
  const std::string payload =
      R"({"hash":")" + kHash + R"(","seq":7,"time":"2026-11-29T04:30:41.123Z"})";
  const std::string jwt = jose::sign_jws({{"typ", "JWT"}}, payload, es256_key()).value();
  Result<Checkpoint> r = verify_checkpoint(jwt, keys_of({&es256_key()}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "header typ \"JWT\" is not accepted");
}

TEST(Checkpoint, VerificationRefusesPayloadsThatAreNotExactlyACheckpoint) {
  struct Case {
    std::string payload;
    std::string message;
  };
  const std::string t = R"("time":"2026-11-29T04:30:41.123Z")";
  const std::string h = R"("hash":")" + kHash + "\"";
  const Case cases[] = {
      {"{" + h + R"(,"seq":7,)" + t + R"(,"sub":"x"})",
       "checkpoint payload: must have exactly the members hash, seq and time"},
      {"{" + h + R"(,"seq":7})",
       "checkpoint payload: must have exactly the members hash, seq and time"},
      {"{" + h + R"(,"sq":7,)" + t + "}",
       "checkpoint payload: must have exactly the members hash, seq and time"},
      {"{" + h + R"(,"seq":"7",)" + t + "}",
       "checkpoint payload: seq must be an integer from 1 to 2^53 - 1"},
      {"{" + h + R"(,"seq":0,)" + t + "}",
       "checkpoint payload: seq must be an integer from 1 to 2^53 - 1"},
      {R"({"hash":"ABC","seq":7,)" + t + "}",
       "checkpoint payload: hash must be 64 lower-case hex digits"},
      {"{" + h + R"(,"seq":7,"time":"2026-11-29T04:30:41Z"})",
       "checkpoint payload: time must be RFC 3339 in UTC with milliseconds"},
  };
  for (const Case& c : cases) {
    const std::string jws =
        jose::sign_jws({{"typ", kCheckpointType}}, c.payload, es256_key()).value();
    Result<Checkpoint> r = verify_checkpoint(jws, keys_of({&es256_key()}));
    ASSERT_FALSE(r.ok()) << c.payload;
    EXPECT_EQ(r.code(), Errc::kMalformedToken) << c.payload;
    EXPECT_EQ(r.error().message, c.message) << c.payload;
  }
}

}  // namespace
}  // namespace sg::audit
