// Run tokens: the subject that names the stack and operation, the run and requester claims beside
// it, what a run token refuses, and a run token minted and read back.
#include "tokens/run_claims.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "jose/inspect.hpp"
#include "keys/key_ring.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"
#include "tokens/minter.hpp"
#include "tokens/token_claims.hpp"

namespace sg::tokens {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kIssuer = "https://gw.example.test";
const Time kT0 = Time(std::chrono::seconds(1'800'000'000));

RunClaims run() {
  return RunClaims{"acme", "payments", "dev", "up", "0123456789abcdef0123456789abcdef"};
}

policy::Principal jane() {
  policy::Principal p;
  p.subject = "user:default/jane";
  p.issuer = "corp-sso";
  p.email = "jane@example.test";
  p.name = "Jane";
  p.team = "payments";
  p.groups = {"engineering"};
  p.ownership = {"group:default/payments"};
  p.claims = {{"repo", "acme/x"}};
  return p;
}

TokenContent run_content() {
  TokenContent c;
  c.issuer = kIssuer;
  c.audience = "sts.amazonaws.com";
  c.jti = "j1";
  c.issued_at = 100;
  c.expires_at = 400;
  c.shape = TokenShape::kIdToken;
  c.subject = jane();
  c.run = run();
  return c;
}

TEST(RunClaims, SubjectNamesTheStackAndTheOperationOnly) {
  EXPECT_EQ(run_subject(run()), "stack:acme/payments/dev:operation:up");
}

TEST(RunClaims, TokenCarriesTheRunAndTheRequesterBesideTheSubject) {
  auto claims = token_claims(run_content());
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  // No groups, ownership, team or origin claims of the person: the cloud trusts the stack.
  EXPECT_EQ(json::serialize(*claims),
            R"({"iss":"https://gw.example.test","sub":"stack:acme/payments/dev:operation:up",)"
            R"("aud":"sts.amazonaws.com","iat":100,"nbf":100,"exp":400,"jti":"j1",)"
            R"("run_id":"0123456789abcdef0123456789abcdef","stack":"acme/payments/dev",)"
            R"("operation":"up","requester":"user:default/jane","requester_idp":"corp-sso",)"
            R"("requester_kind":"user","requester_email":"jane@example.test",)"
            R"("requester_name":"Jane"})");
}

TEST(RunClaims, AnAgentsRunNamesThePersonAndTheAgents) {
  TokenContent c = run_content();
  c.subject.email.clear();
  c.subject.name.clear();
  c.subject.act = {"agent-2", "agent-1"};
  auto claims = token_claims(c);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(json::serialize(claims->at("requester")), R"("user:default/jane")");
  EXPECT_EQ(json::serialize(claims->at("requester_act")), R"(["agent-2","agent-1"])");
  EXPECT_FALSE(claims->contains("requester_email"));
  EXPECT_FALSE(claims->contains("requester_name"));
  EXPECT_FALSE(claims->contains("act"));
}

TEST(RunClaims, AMachineRequesterIsSaidToBeOne) {
  TokenContent c = run_content();
  c.subject.kind = policy::PrincipalKind::kMachine;
  auto claims = token_claims(c);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->at("requester_kind").as_string(), "machine");
}

TEST(RunClaims, RefusesAnActorAScopeOrTheAccessTokenShape) {
  TokenContent with_actor = run_content();
  with_actor.actor = std::make_shared<policy::Principal>(jane());
  TokenContent with_scope = run_content();
  with_scope.scope = *policy::Scope::parse("stack:*:read");
  TokenContent access = run_content();
  access.shape = TokenShape::kAccessToken;
  for (const TokenContent& c : {with_actor, with_scope, access}) {
    auto claims = token_claims(c);
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.code(), Errc::kInvalidArgument);
    EXPECT_EQ(claims.error().message,
              "a run token is ID-token shaped and has no actor or scope of its own");
  }
}

TEST(RunClaims, RefusesPartsThatWouldMakeTheSubjectAmbiguous) {
  struct Case {
    RunClaims run;
    const char* message;
  };
  RunClaims colon = run();
  colon.stack = "dev:operation:destroy";
  RunClaims slash = run();
  slash.project = "pay/ments";
  RunClaims empty = run();
  empty.operation.clear();
  RunClaims long_id = run();
  long_id.run_id = std::string(kMaxRunPartBytes + 1, 'a');
  RunClaims space = run();
  space.org = "ac me";
  for (const Case& c : {Case{colon, "the run's stack has a character outside [A-Za-z0-9._-]"},
                        Case{slash, "the run's project has a character outside [A-Za-z0-9._-]"},
                        Case{empty, "the run's operation is empty"},
                        Case{long_id, "the run's run id is longer than 100 bytes"},
                        Case{space, "the run's org has a character outside [A-Za-z0-9._-]"}}) {
    Status s = check_run_claims(c.run);
    ASSERT_FALSE(s.ok()) << c.message;
    EXPECT_EQ(s.code(), Errc::kInvalidArgument);
    EXPECT_EQ(s.error().message, c.message);
    TokenContent content = run_content();
    content.run = c.run;
    EXPECT_EQ(token_claims(content).error().message, c.message);
  }
  RunClaims longest = run();
  longest.run_id = std::string(kMaxRunPartBytes, 'a');
  EXPECT_TRUE(check_run_claims(longest).ok());
}

TEST(RunClaims, MinterSignsARunTokenWithItsSubjectAndShape) {
  store::testing::TempDir dir;
  store::SqliteStore::Options options;
  options.path = dir.file("gw.db");
  auto opened = store::SqliteStore::open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  keys::KeyRingOptions ko;
  ko.purpose = std::string(keys::kTokenKeyPurpose);
  keys::KeyRing ring(**opened, ko);
  ASSERT_TRUE(ring.load(kT0).ok());
  MinterSettings ms;
  ms.issuer = kIssuer;
  ms.max_ttl = 30min;
  Minter minter(ms, ring);

  MintRequest r;
  r.subject = jane();
  r.audience = "api://AzureADTokenExchange";
  r.ttl = 2h;
  r.shape = TokenShape::kIdToken;
  r.run = run();
  auto issued = minter.mint(r, kT0);
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  EXPECT_EQ(issued->subject, "stack:acme/payments/dev:operation:up");
  EXPECT_EQ(issued->expires_at - issued->issued_at, 1800);  // cut to max_ttl
  auto decoded = jose::decode_unverified(issued->token);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->unverified_header.at("typ").as_string(), "JWT");
  const json::object& claims = *decoded->unverified_claims;
  EXPECT_EQ(claims.at("sub").as_string(), "stack:acme/payments/dev:operation:up");
  EXPECT_EQ(claims.at("aud").as_string(), "api://AzureADTokenExchange");
  EXPECT_EQ(claims.at("jti").as_string(), issued->jti);
  EXPECT_EQ(claims.at("requester").as_string(), "user:default/jane");

  // The ordinary tokens keep the subject as `sub`.
  r.run.reset();
  auto plain = minter.mint(r, kT0);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->subject, "user:default/jane");

  r.run = run();
  r.shape = TokenShape::kAccessToken;
  EXPECT_EQ(minter.mint(r, kT0).code(), Errc::kInvalidArgument);
}

}  // namespace
}  // namespace sg::tokens
