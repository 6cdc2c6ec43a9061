// The token service's pure parts and its pieces over a real SQLite store: claims written and read
// back, the scope check, lifetimes, self-trust with revocation, and key rotation.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "jose/inspect.hpp"
#include "keys/key_ring.hpp"
#include "policy/policy_loader.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"
#include "tokens/exchange.hpp"
#include "tokens/minter.hpp"
#include "tokens/revocation_list.hpp"
#include "tokens/self_issuer.hpp"
#include "tokens/token_claims.hpp"
#include "tokens/token_events.hpp"

namespace sg::tokens {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kIssuer = "https://gw.example.test";
const Time kT0 = Time(std::chrono::seconds(1'800'000'000));

policy::Principal jane() {
  policy::Principal p;
  p.subject = "user:default/jane";
  p.issuer = "corp-sso";
  p.email = "jane@example.test";
  p.name = "Jane";
  p.team = "payments";
  p.groups = {"engineering"};
  p.ownership = {"group:default/payments"};
  p.claims = {{"sub", "user:default/jane"}, {"iss", "https://sso"}, {"exp", 1}, {"repo", "acme/x"}};
  return p;
}

std::shared_ptr<const policy::Principal> agent(std::string sub) {
  auto a = std::make_shared<policy::Principal>();
  a->subject = std::move(sub);
  a->issuer = "agents";
  a->kind = policy::PrincipalKind::kMachine;
  a->scope = *policy::Scope::parse("stack:acme/*:read");
  return a;
}

TEST(TokenClaims, CarryThePrincipalAndReadBackToIt) {
  TokenContent c;
  c.issuer = kIssuer;
  c.audience = kIssuer;
  c.jti = "0123456789abcdef0123456789abcdef";
  c.issued_at = 100;
  c.expires_at = 700;
  c.subject = jane();
  c.actor = agent("agent-2");
  c.earlier_actors = {"agent-1", "agent-0"};
  c.scope = *policy::Scope::parse("stack:acme/pay/*:read,preview");
  auto claims = token_claims(c);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(
      json::serialize(*claims),
      R"({"iss":"https://gw.example.test","sub":"user:default/jane","aud":"https://gw.example.test",)"
      R"("iat":100,"nbf":100,"exp":700,"jti":"0123456789abcdef0123456789abcdef","idp":"corp-sso",)"
      R"("kind":"user","email":"jane@example.test","name":"Jane","team":"payments",)"
      R"("groups":["engineering"],"ownership":["group:default/payments"],)"
      R"("origin_claims":{"repo":"acme/x"},"client_id":"agent-2",)"
      R"("scope":"stack:acme/pay/*:read,preview","act":{"sub":"agent-2","idp":"agents",)"
      R"("kind":"machine","scope":"stack:acme/*:read","act":{"sub":"agent-1","act":{"sub":"agent-0"}}}})");

  auto back = token_principal(*claims);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->subject, "user:default/jane");
  EXPECT_EQ(back->issuer, "corp-sso");
  EXPECT_EQ(back->kind, policy::PrincipalKind::kUser);
  EXPECT_EQ(back->email, "jane@example.test");
  EXPECT_EQ(back->team, "payments");
  EXPECT_EQ(back->groups, std::vector<std::string>{"engineering"});
  EXPECT_EQ(back->ownership, std::vector<std::string>{"group:default/payments"});
  EXPECT_EQ(json::serialize(back->claims), R"({"repo":"acme/x"})");
  EXPECT_EQ(back->token_id, c.jti);
  EXPECT_EQ(back->expires_at, 700);
  ASSERT_TRUE(back->scope.has_value());
  EXPECT_EQ(back->scope->to_string(), "stack:acme/pay/*:read,preview");
  EXPECT_EQ(back->act, (std::vector<std::string>{"agent-2", "agent-1", "agent-0"}));
  ASSERT_NE(back->actor, nullptr);
  EXPECT_EQ(back->actor->subject, "agent-2");
  EXPECT_EQ(back->actor->kind, policy::PrincipalKind::kMachine);
  EXPECT_EQ(back->actor->scope->to_string(), "stack:acme/*:read");
  EXPECT_EQ(back->actor->actor, nullptr);  // earlier actors are never evaluated
}

TEST(TokenClaims, IdTokenShapeHasNoScopeOrClientId) {
  TokenContent c;
  c.issuer = kIssuer;
  c.audience = "urn:pulumi:org:acme";
  c.jti = "j";
  c.subject = jane();
  c.shape = TokenShape::kIdToken;
  c.scope = *policy::Scope::parse("stack:*:read");
  auto claims = token_claims(c);
  ASSERT_TRUE(claims.ok());
  EXPECT_FALSE(claims->contains("scope"));
  EXPECT_FALSE(claims->contains("client_id"));
  EXPECT_EQ(json::serialize(header_fields(TokenShape::kIdToken)), R"({"typ":"JWT"})");
  EXPECT_EQ(json::serialize(header_fields(TokenShape::kAccessToken)), R"({"typ":"at+jwt"})");
}

TEST(TokenClaims, TooManyClaimsToCarryIsAnErrorNotADrop) {
  TokenContent c;
  c.subject = jane();
  c.subject.claims["big"] = std::string(kMaxCarriedClaimsBytes, 'x');
  auto claims = token_claims(c);
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.code(), Errc::kInvalidArgument);
  EXPECT_NE(claims.error().message.find("the subject token has"), std::string::npos);
}

TEST(TokenClaims, WrongTypesAreMalformed) {
  for (const char* bad :
       {R"({"sub":5})", R"({"sub":"s","groups":"g"})", R"({"sub":"s","kind":"robot"})",
        R"({"sub":"s","act":"agent"})", R"({"sub":"s","act":{"sub":"a","act":{}}})",
        R"({"sub":"s","scope":"nonsense"})", R"({"sub":"s","origin_claims":[]})"}) {
    auto p = token_principal(json::parse(bad).as_object());
    EXPECT_EQ(p.code(), Errc::kMalformedToken) << bad;
  }
}

constexpr const char* kPolicy = R"(roles:
  - name: dev
    rules:
      - allow: [read, update]
        stacks: ["acme/*"]
      - allow: [audit]
        stacks: ["*"]
bindings:
  - { roles: [dev], when: { issuer: corp-sso } }
)";

std::shared_ptr<const policy::Policy> compile(const char* yaml) {
  auto loaded = policy::load_policy_text(yaml, "policy.yaml");
  EXPECT_TRUE(loaded.policy != nullptr);
  return loaded.policy;
}

std::vector<policy::Stack> stacks() {
  std::vector<policy::Stack> out;
  for (const char* ref : {"acme/pay/dev", "acme/web/dev", "other/ops/prod"}) {
    policy::Stack s;
    s.ref = ref;
    out.push_back(s);
  }
  return out;
}

TEST(ScopeWithin, RefusesAnyItemBeyondThePrincipalOnAKnownStack) {
  auto policy = compile(kPolicy);
  const auto known = stacks();
  auto check = [&](const char* scope) {
    return scope_within(*policy, jane(), *policy::Scope::parse(scope), known, "the subject");
  };
  EXPECT_TRUE(check("stack:acme/*:read,update").ok());
  EXPECT_TRUE(check("stack:acme/pay/dev:read stack:*:audit").ok());
  EXPECT_TRUE(check("stack:nowhere/*:update").ok());  // matches no stack: grants nothing
  Status wide = check("stack:*:read");
  EXPECT_EQ(wide.code(), Errc::kInvalidScope);
  EXPECT_EQ(wide.error().message, "scope item 1 asks for read where the subject may not do it");
  EXPECT_EQ(check("stack:acme/*:read stack:acme/web/*:destroy").error().message,
            "scope item 2 asks for destroy where the subject may not do it");
  policy::Principal other = jane();
  other.issuer = "elsewhere";
  EXPECT_EQ(scope_within(*policy, other, *policy::Scope::parse("stack:*:audit"), known, "the actor")
                .error()
                .message,
            "scope item 1 asks for audit where the actor may not do it");
}

class TokensStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::SqliteStore::Options options;
    options.path = dir_.file("gw.db");
    auto opened = store::SqliteStore::open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    keys::KeyRingOptions ko;
    ko.purpose = std::string(keys::kTokenKeyPurpose);
    ko.publish_retired_for = 35min;
    ring_ = std::make_unique<keys::KeyRing>(*store_, ko);
    ASSERT_TRUE(ring_->load(kT0).ok());
    MinterSettings ms;
    ms.issuer = kIssuer;
    ms.default_ttl = 10min;
    ms.max_ttl = 30min;
    ms.rotate_every = 24h;
    minter_ = std::make_unique<Minter>(ms, *ring_);
    revoked_ = std::make_unique<RevocationList>(*store_);
    self_ = std::make_unique<SelfIssuer>(kIssuer, *ring_, *revoked_, std::chrono::seconds(30));
  }

  IssuedToken mint(MintRequest r, Time at = kT0) {
    auto issued = minter_->mint(r, at);
    EXPECT_TRUE(issued.ok()) << issued.error().message;
    return issued.ok() ? *issued : IssuedToken{};
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<keys::KeyRing> ring_;
  std::unique_ptr<Minter> minter_;
  std::unique_ptr<RevocationList> revoked_;
  std::unique_ptr<SelfIssuer> self_;
};

TEST_F(TokensStoreTest, LifetimeIsRequestedCappedAndCutToTheSubjectToken) {
  MintRequest r;
  r.subject = jane();
  IssuedToken d = mint(r);
  EXPECT_EQ(d.expires_at - d.issued_at, 600);
  r.ttl = 5min;
  EXPECT_EQ(mint(r).expires_at - unix_seconds(kT0), 300);
  r.ttl = 2h;
  EXPECT_EQ(mint(r).expires_at - unix_seconds(kT0), 1800);
  r.not_after = unix_seconds(kT0) + 42;
  EXPECT_EQ(mint(r).expires_at, unix_seconds(kT0) + 42);
  r.not_after = unix_seconds(kT0);
  EXPECT_EQ(minter_->mint(r, kT0).error().message, "the subject token has expired");
  r.not_after.reset();
  r.ttl = 0s;
  EXPECT_EQ(minter_->mint(r, kT0).code(), Errc::kInvalidArgument);
}

TEST_F(TokensStoreTest, OwnTokensVerifyUntilRevokedAndOnlyForTheGateway) {
  MintRequest r;
  r.subject = jane();
  r.scope = *policy::Scope::parse("stack:acme/*:read");
  IssuedToken t = mint(r);
  EXPECT_EQ(t.kid, ring_->current().kid());
  auto who = self_->verify(t.token, kT0 + 1s);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->subject, "user:default/jane");
  EXPECT_EQ(who->issuer, "corp-sso");
  EXPECT_EQ(who->token_id, t.jti);
  EXPECT_EQ(who->scope->to_string(), "stack:acme/*:read");

  EXPECT_EQ(self_->verify(t.token, kT0 + 11min).code(), Errc::kExpired);

  ASSERT_TRUE(revoked_->revoke(t.jti, t.expires_at, kT0).ok());
  auto refused = self_->verify(t.token, kT0 + 2s);
  EXPECT_EQ(refused.code(), Errc::kRevoked);
  EXPECT_EQ(refused.error().message, "token revoked");
  auto inspected = self_->inspect(t.token, kT0 + 2s);
  ASSERT_TRUE(inspected.ok());
  EXPECT_TRUE(inspected->revoked);

  // Another list over the same store learns of it (another gateway process).
  RevocationList other(*store_);
  EXPECT_FALSE(other.is_revoked(t.jti));
  ASSERT_TRUE(other.refresh(kT0).ok());
  EXPECT_TRUE(other.is_revoked(t.jti));
  // Forgotten once the token would have expired anyway.
  ASSERT_TRUE(other.refresh(kT0 + 11min).ok());
  EXPECT_FALSE(other.is_revoked(t.jti));

  // A token for Pulumi Cloud verifies for inspection but is not accepted by the gateway.
  r.audience = "urn:pulumi:org:acme";
  r.shape = TokenShape::kIdToken;
  IssuedToken pulumi = mint(r);
  // Refused at the typ check (JWT, not at+jwt), before its audience is even looked at.
  EXPECT_EQ(self_->verify(pulumi.token, kT0).code(), Errc::kMalformedToken);
  r.shape = TokenShape::kAccessToken;
  EXPECT_EQ(self_->verify(mint(r).token, kT0).code(), Errc::kWrongAudience);
  r.shape = TokenShape::kIdToken;
  EXPECT_TRUE(self_->inspect(pulumi.token, kT0).ok());
}

TEST_F(TokensStoreTest, TokensFromARotatedKeyStillVerifyUntilTheKeyIsRetired) {
  MintRequest r;
  r.subject = jane();
  IssuedToken before = mint(r);
  ASSERT_TRUE(ring_->rotate(kT0 + 1s).ok());
  IssuedToken after = mint(r, kT0 + 2s);
  EXPECT_NE(before.kid, after.kid);
  EXPECT_TRUE(self_->verify(before.token, kT0 + 3s).ok());
  EXPECT_TRUE(self_->verify(after.token, kT0 + 3s).ok());

  // rotate_every: the minter rotates by itself once the current key is that old.
  IssuedToken next_day = mint(r, kT0 + 25h);
  EXPECT_NE(next_day.kid, after.kid);
}

TEST_F(TokensStoreTest, IssuedAndRevokedEventsNameTheJtiNeverTheToken) {
  MintRequest r;
  r.subject = jane();
  r.scope = *policy::Scope::parse("stack:acme/*:read");
  IssuedToken t = mint(r);
  auto a = agent("agent-2");
  audit::AuditEvent e = issued_event(t, jane(), a.get(), {"agent-1"}, "exchange");
  EXPECT_EQ(e.type, "token.issued");
  EXPECT_EQ(e.actor->subject, "user:default/jane");
  EXPECT_EQ(e.actor->act, (std::vector<std::string>{"agent-2", "agent-1"}));
  EXPECT_EQ(json::serialize(e.details),
            R"({"jti":")" + t.jti + R"(","aud":"https://gw.example.test","exp":)" +
                std::to_string(t.expires_at) + R"(,"token_type":"access_token","kid":")" + t.kid +
                R"(","how":"exchange","scope":"stack:acme/*:read"})");
  audit::AuditEvent rv = revoked_event(t.jti, t.expires_at, jane(), "holder");
  EXPECT_EQ(rv.type, "token.revoked");
  const std::string all = json::serialize(audit::to_json(e)) + json::serialize(audit::to_json(rv));
  EXPECT_EQ(all.find(t.token.substr(t.token.rfind('.') + 1)), std::string::npos);
}

}  // namespace
}  // namespace sg::tokens
