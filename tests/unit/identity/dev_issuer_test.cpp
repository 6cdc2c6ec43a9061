#include "identity/dev_issuer.hpp"

#include <gtest/gtest.h>

#include "jose/inspect.hpp"

namespace sg::identity {
namespace {

using namespace std::chrono_literals;

const Time kT0 = Time(std::chrono::seconds(1'700'000'000));

std::shared_ptr<const DevIssuer> dev() {
  auto d = DevIssuer::create();
  EXPECT_TRUE(d.ok());
  return std::move(d).value();
}

TEST(DevIssuer, MintedTokenVerifiesIntoThePrincipal) {
  auto d = dev();
  DevTokenRequest r{"user:default/dev", "dev@example.com", "Dev", "payments", {"eng"}, {}};
  auto token = d->mint(r, kT0);
  ASSERT_TRUE(token.ok()) << token.error().message;
  auto p = d->trusted_issuer()->verify(*token, kT0);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->subject, "user:default/dev");
  EXPECT_EQ(p->issuer, "dev");
  EXPECT_EQ(p->kind, policy::PrincipalKind::kUser);
  EXPECT_EQ(p->email, "dev@example.com");
  EXPECT_EQ(p->team, "payments");
  EXPECT_EQ(p->groups, (std::vector<std::string>{"eng"}));
  EXPECT_EQ(p->expires_at, 1'700'000'000 + 15 * 60);
  EXPECT_FALSE(p->token_id.empty());
  auto u = jose::decode_unverified(*token);
  EXPECT_EQ(u->unverified_header.at("typ").as_string(), "at+jwt");
  EXPECT_EQ(u->unverified_claims->at("iss").as_string(), "urn:stackgate:dev");
  EXPECT_EQ(u->unverified_claims->at("aud").as_string(), "stackgate");
}

TEST(DevIssuer, TtlIsCappedAtOneHour) {
  auto d = dev();
  DevTokenRequest r;
  r.subject = "alice";
  r.ttl = 5h;
  auto p = d->trusted_issuer()->verify(*d->mint(r, kT0), kT0);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->expires_at, 1'700'000'000 + 3600);
}

TEST(DevIssuer, ExpiredDevTokenIsRefused) {
  auto d = dev();
  DevTokenRequest r;
  r.subject = "alice";
  r.ttl = 60s;
  auto p = d->trusted_issuer()->verify(*d->mint(r, kT0), kT0 + 91s);
  EXPECT_EQ(p.code(), Errc::kExpired);
}

TEST(DevIssuer, AnotherDevIssuersTokenIsRefused) {
  auto a = dev();
  auto b = dev();
  DevTokenRequest r;
  r.subject = "alice";
  EXPECT_EQ(b->trusted_issuer()->verify(*a->mint(r, kT0), kT0).code(), Errc::kUnknownKey);
}

TEST(DevIssuer, RequestsAreBounded) {
  auto d = dev();
  DevTokenRequest r;
  EXPECT_EQ(d->mint(r, kT0).error().message, "subject is required");
  r.subject = std::string(257, 's');
  EXPECT_EQ(d->mint(r, kT0).error().message, "subject is longer than 256 bytes");
  r.subject = "alice";
  r.groups.assign(65, "g");
  EXPECT_EQ(d->mint(r, kT0).error().message, "at most 64 groups are allowed");
  r.groups = {};
  r.ttl = 0s;
  auto e = d->mint(r, kT0);
  EXPECT_EQ(e.code(), Errc::kInvalidArgument);
  EXPECT_EQ(e.error().message, "ttl must be positive");
}

}  // namespace
}  // namespace sg::identity
