#include "identity/backstage_issuer.hpp"

#include <gtest/gtest.h>

#include "identity/authenticator.hpp"
#include "identity/issuer_factory.hpp"
#include "identity_test_support.hpp"

namespace sg::identity {
namespace {

using test::at;
using test::kNow;

const std::string kAuth = "http://localhost:7007/api/auth";
const std::string kJwks = kAuth + "/.well-known/jwks.json";
const std::string kUserinfo = kAuth + "/v1/userinfo";
const std::string kOtherAuth = "http://localhost:8007/api/auth";
const std::string kUser = "vnd.backstage.user";
const std::string kLimited = "vnd.backstage.limited-user";

class BackstageIssuerTest : public ::testing::Test {
 protected:
  BackstageIssuerTest() : clock_(at(kNow)), key_(test::es256_key("bs-1")) {
    fetcher_.set(kJwks, test::jwks_of({&key_}));
    config_.name = "backstage";
    config_.kind = config::IssuerConfig::Kind::kBackstage;
    config_.issuer = kAuth;
  }

  std::unique_ptr<TrustedIssuer> issuer(const config::IssuerConfig& c) {
    auto made = make_issuer(c, {}, fetcher_, clock_, nullptr);
    EXPECT_TRUE(made.ok()) << made.error().message;
    return std::move(made).value();
  }
  std::unique_ptr<TrustedIssuer> issuer() { return issuer(config_); }

  static boost::json::object user_claims(bool with_ent = true) {
    boost::json::object c{{"iss", kAuth},       {"sub", "user:default/jane.doe"},
                          {"aud", "backstage"}, {"iat", kNow - 10},
                          {"exp", kNow + 3600}, {"uip", "abc"}};
    if (with_ent) c["ent"] = {"user:default/jane.doe", "group:default/payments"};
    return c;
  }
  static boost::json::object limited_claims() {
    return {{"sub", "user:default/jane.doe"}, {"iat", kNow - 10}, {"exp", kNow + 3600}};
  }
  void serve_userinfo(const std::string& sub = "user:default/jane.doe") {
    fetcher_.set(kUserinfo,
                 R"({"claims":{"sub":")" + sub + R"(","ent":["group:default/platform"]}})");
  }

  test::FakeFetcher fetcher_;
  ManualClock clock_;
  jose::SigningKey key_;
  config::IssuerConfig config_;
};

TEST_F(BackstageIssuerTest, UserTokenWithEntIsAccepted) {
  auto p = issuer()->verify(test::sign(key_, user_claims(), kUser), at(kNow));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->subject, "user:default/jane.doe");
  EXPECT_EQ(p->issuer, "backstage");
  EXPECT_EQ(p->kind, policy::PrincipalKind::kUser);
  EXPECT_EQ(p->ownership,
            (std::vector<std::string>{"user:default/jane.doe", "group:default/payments"}));
  EXPECT_EQ(fetcher_.calls(kUserinfo), 0);
}

TEST_F(BackstageIssuerTest, UserTokenWithoutEntReadsUserinfoOnceWithTheSameToken) {
  serve_userinfo();
  auto is = issuer();
  const std::string token = test::sign(key_, user_claims(false), kUser);
  auto p = is->verify(token, at(kNow));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->ownership, (std::vector<std::string>{"group:default/platform"}));
  EXPECT_EQ(
      fetcher_.last_headers(kUserinfo),
      (std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer " + token}}));
  ASSERT_TRUE(is->verify(token, at(kNow + 60)).ok());
  EXPECT_EQ(fetcher_.calls(kUserinfo), 1);  // cached until the token expires
}

TEST_F(BackstageIssuerTest, UserinfoForAnotherSubjectIsRefused) {
  serve_userinfo("user:default/mallory");
  auto p = issuer()->verify(test::sign(key_, user_claims(false), kUser), at(kNow));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(p.error().message,
            "cannot read the user's ownership from Backstage userinfo: the answer is for another "
            "user");
}

TEST_F(BackstageIssuerTest, UserinfoDownFailsClosed) {
  fetcher_.set(kUserinfo, "", 502);
  auto p = issuer()->verify(test::sign(key_, user_claims(false), kUser), at(kNow));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(p.error().message, "cannot read the user's ownership from Backstage userinfo: " +
                                   kUserinfo + " answered HTTP 502");
}

TEST_F(BackstageIssuerTest, UserTokenNeedsTheExactIssuerAndBackstageAudience) {
  auto c = user_claims();
  c["iss"] = kAuth + "/";
  EXPECT_EQ(issuer()->verify(test::sign(key_, c, kUser), at(kNow)).code(), Errc::kWrongIssuer);
  c = user_claims();
  c["aud"] = "stackgate";
  EXPECT_EQ(issuer()->verify(test::sign(key_, c, kUser), at(kNow)).code(), Errc::kWrongAudience);
}

TEST_F(BackstageIssuerTest, LimitedTokenWithoutIssIsAcceptedByThePinnedKeys) {
  serve_userinfo();
  auto is = issuer();
  const std::string token = test::sign(key_, limited_claims(), kLimited);
  EXPECT_TRUE(is->should_try(*jose::decode_unverified(token)));
  auto p = is->verify(token, at(kNow));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->subject, "user:default/jane.doe");
  EXPECT_EQ(p->ownership, (std::vector<std::string>{"group:default/platform"}));
}

TEST_F(BackstageIssuerTest, LimitedTokenStillNeedsIat) {
  auto c = limited_claims();
  c.erase("iat");
  auto p = issuer()->verify(test::sign(key_, c, kLimited), at(kNow));
  EXPECT_EQ(p.code(), Errc::kMalformedToken);
  EXPECT_EQ(p.error().message, "token has no iat");
}

TEST_F(BackstageIssuerTest, OtherTokenTypesAreRefused) {
  auto p = issuer()->verify(test::sign(key_, user_claims(), "JWT"), at(kNow));
  EXPECT_EQ(p.code(), Errc::kMalformedToken);
  EXPECT_EQ(p.error().message, "header typ \"JWT\" is not accepted");
}

TEST_F(BackstageIssuerTest, SubjectMustBeAUserEntityRef) {
  auto c = user_claims();
  c["sub"] = "group:default/payments";
  auto p = issuer()->verify(test::sign(key_, c, kUser), at(kNow));
  EXPECT_EQ(p.code(), Errc::kMalformedToken);
  EXPECT_EQ(p.error().message, "token subject is not a Backstage user entity ref");
}

TEST_F(BackstageIssuerTest, LimitedTokenFromAnotherBackstageIsRefused) {
  auto foreign = test::es256_key("bs-9");
  std::vector<std::unique_ptr<TrustedIssuer>> issuers;
  issuers.push_back(issuer());
  Authenticator auth(std::move(issuers), clock_);
  auto p = auth.authenticate(test::sign(foreign, limited_claims(), kLimited));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.code(), Errc::kUnknownKey);
  EXPECT_EQ(p.error().message, "no key with this token's kid");
}

TEST_F(BackstageIssuerTest, LimitedTokenIsAttributedToTheBackstageHoldingItsKey) {
  auto other_key = test::es256_key("bs-2");
  fetcher_.set(kOtherAuth + "/.well-known/jwks.json", test::jwks_of({&other_key}));
  auto other = config_;
  other.name = "backstage-2";
  other.issuer = kOtherAuth;
  fetcher_.set(kOtherAuth + "/v1/userinfo",
               R"({"claims":{"sub":"user:default/jane.doe","ent":[]}})");
  std::vector<std::unique_ptr<TrustedIssuer>> issuers;
  issuers.push_back(issuer());
  issuers.push_back(issuer(other));
  Authenticator auth(std::move(issuers), clock_);
  auto p = auth.authenticate(test::sign(other_key, limited_claims(), kLimited));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ((*p)->issuer, "backstage-2");
}

TEST_F(BackstageIssuerTest, KidOfOneBackstageSignedByAnotherDoesNotVerify) {
  auto forger = test::es256_key("bs-1");  // same kid, other key
  auto p = issuer()->verify(test::sign(forger, limited_claims(), kLimited), at(kNow));
  EXPECT_EQ(p.code(), Errc::kBadSignature);
}

}  // namespace
}  // namespace sg::identity
