#include "identity/authenticator.hpp"

#include <gtest/gtest.h>

#include "identity/dev_issuer.hpp"
#include "identity/trusted_issuer.hpp"
#include "identity_test_support.hpp"

namespace sg::identity {
namespace {

using namespace std::chrono_literals;
using test::at;
using test::kNow;

// Accepts every token whose iss is `iss`, counting verifications; the subject is the token's sub.
class CountingIssuer final : public TrustedIssuer {
 public:
  CountingIssuer(std::string name, std::string iss, int* count)
      : name_(std::move(name)), iss_(std::move(iss)), count_(count) {}
  const std::string& name() const override { return name_; }
  bool should_try(const jose::UnverifiedToken& t) const override {
    return unverified_iss(t) == std::optional<std::string_view>(iss_);
  }
  using TrustedIssuer::verify;
  Result<policy::Principal> verify(std::string_view, const jose::UnverifiedToken& u,
                                   Time) override {
    ++*count_;
    policy::Principal p;
    p.subject = std::string(u.unverified_claims->at("sub").as_string());
    p.issuer = name_;
    p.expires_at = u.unverified_claims->at("exp").as_int64();
    return p;
  }
  Status ready() const override { return {}; }

 private:
  std::string name_, iss_;
  int* count_;
};

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest() : clock_(at(kNow)), key_(test::es256_key("k")) {
    std::vector<std::unique_ptr<TrustedIssuer>> issuers;
    issuers.push_back(std::make_unique<CountingIssuer>("a", "https://a.example", &a_count_));
    issuers.push_back(std::make_unique<CountingIssuer>("b", "https://b.example", &b_count_));
    auth_ = std::make_unique<Authenticator>(std::move(issuers), clock_, 2);
  }

  std::string token(const std::string& iss, const std::string& sub = "alice",
                    std::int64_t exp = kNow + 600) {
    return test::sign(key_, {{"iss", iss}, {"sub", sub}, {"exp", exp}});
  }

  ManualClock clock_;
  jose::SigningKey key_;
  int a_count_ = 0;
  int b_count_ = 0;
  std::unique_ptr<Authenticator> auth_;
};

TEST_F(AuthenticatorTest, RoutesByUnverifiedIss) {
  auto p = auth_->authenticate(token("https://b.example"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ((*p)->issuer, "b");
  EXPECT_EQ(a_count_, 0);
  EXPECT_EQ(b_count_, 1);
}

TEST_F(AuthenticatorTest, UntrustedIssIsWrongIssuer) {
  auto p = auth_->authenticate(token("https://evil.example"));
  EXPECT_EQ(p.code(), Errc::kWrongIssuer);
  EXPECT_EQ(p.error().message, "token issuer \"https://evil.example\" is not trusted");
  EXPECT_EQ(a_count_ + b_count_, 0);
}

TEST_F(AuthenticatorTest, LongOrUnprintableIssIsNotEchoed) {
  EXPECT_EQ(auth_->authenticate(token(std::string(201, 'x'))).error().message,
            "token issuer is not trusted");
  EXPECT_EQ(auth_->authenticate(token("https://a.example\n")).error().message,
            "token issuer is not trusted");
}

TEST_F(AuthenticatorTest, TokenWithoutIssIsWrongIssuer) {
  auto p = auth_->authenticate(test::sign(key_, {{"sub", "alice"}, {"exp", kNow + 60}}));
  EXPECT_EQ(p.code(), Errc::kWrongIssuer);
  EXPECT_EQ(p.error().message, "token has no issuer (iss)");
}

TEST_F(AuthenticatorTest, EmptyOrBlankTokenIsUnauthenticated) {
  for (std::string_view t : {"", "   ", "\t\r\n"}) {
    auto p = auth_->authenticate(t);
    EXPECT_EQ(p.code(), Errc::kUnauthenticated);
    EXPECT_EQ(p.error().message, "no bearer token");
  }
}

TEST_F(AuthenticatorTest, OversizedTokenIsMalformed) {
  auto p = auth_->authenticate(std::string(16 * 1024 + 1, 'a'));
  EXPECT_EQ(p.code(), Errc::kMalformedToken);
  EXPECT_EQ(p.error().message, "token is too large");
}

TEST_F(AuthenticatorTest, GarbageIsMalformed) {
  EXPECT_EQ(auth_->authenticate("not-a-jwt").code(), Errc::kMalformedToken);
}

TEST_F(AuthenticatorTest, CacheHitSkipsVerification) {
  const std::string t = token("https://a.example");
  auto first = auth_->authenticate(t);
  auto again = auth_->authenticate(t);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ((*again)->subject, "alice");
  EXPECT_EQ(*again, *first);  // the cached principal itself, shared
  EXPECT_EQ(a_count_, 1);
}

TEST_F(AuthenticatorTest, CachedEntryExpiresWithTheToken) {
  const std::string t = token("https://a.example", "alice", kNow + 60);
  ASSERT_TRUE(auth_->authenticate(t).ok());
  clock_.advance(59s);
  ASSERT_TRUE(auth_->authenticate(t).ok());
  EXPECT_EQ(a_count_, 1);
  clock_.advance(1s);
  (void)auth_->authenticate(t);  // the fake issuer ignores time; the cache must not answer
  EXPECT_EQ(a_count_, 2);
}

TEST_F(AuthenticatorTest, InvalidateForcesVerification) {
  const std::string t = token("https://a.example");
  ASSERT_TRUE(auth_->authenticate(t).ok());
  auth_->invalidate(t);
  ASSERT_TRUE(auth_->authenticate(t).ok());
  EXPECT_EQ(a_count_, 2);
}

TEST_F(AuthenticatorTest, CacheCapacityEvictsOldest) {
  const std::string t1 = token("https://a.example", "u1");
  const std::string t2 = token("https://a.example", "u2");
  const std::string t3 = token("https://a.example", "u3");
  for (const auto& t : {t1, t2, t3})
    ASSERT_TRUE(auth_->authenticate(t).ok());
  EXPECT_EQ(a_count_, 3);
  ASSERT_TRUE(auth_->authenticate(t3).ok());
  EXPECT_EQ(a_count_, 3);
  ASSERT_TRUE(auth_->authenticate(t1).ok());  // evicted by t3
  EXPECT_EQ(a_count_, 4);
}

TEST_F(AuthenticatorTest, ReadinessListsEveryIssuer) {
  auto r = auth_->readiness();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].first, "a");
  EXPECT_TRUE(r[0].second.ok());
  EXPECT_EQ(r[1].first, "b");
}

TEST(AuthenticatorWithDevIssuer, VerifiesAMintedTokenEndToEnd) {
  ManualClock clock(at(kNow));
  auto dev = DevIssuer::create();
  ASSERT_TRUE(dev.ok());
  std::vector<std::unique_ptr<TrustedIssuer>> issuers;
  issuers.push_back((*dev)->trusted_issuer());
  Authenticator auth(std::move(issuers), clock);
  DevTokenRequest r;
  r.subject = "user:default/dev";
  r.groups = {"platform"};
  auto p = auth.authenticate(*(*dev)->mint(r, clock.now()));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ((*p)->subject, "user:default/dev");
  EXPECT_EQ((*p)->issuer, "dev");
  EXPECT_EQ((*p)->groups, (std::vector<std::string>{"platform"}));
}

}  // namespace
}  // namespace sg::identity
