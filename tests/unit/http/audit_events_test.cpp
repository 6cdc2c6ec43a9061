// The audit events handlers attach: exactly what they hold, what they leave out (tokens, raw
// header values beyond the cleaned user agent), and the 401 that carries its auth.failed event.
#include "http/audit_events.hpp"

#include <gtest/gtest.h>

#include <string>

#include <boost/json/serialize.hpp>

#include "audit/chain.hpp"

namespace sg::http {
namespace {

Request request_with(std::vector<Header> headers) {
  Request r;
  r.method = Method::kPost;
  r.path = "/v1/authorize";
  r.remote_ip = "10.1.2.3";
  r.request_id = "req-42";
  r.headers = std::move(headers);
  return r;
}

TEST(AuditEvents, AuthFailureHoldsTheCodeAndMessageButNoToken) {
  Request r =
      request_with({{"Authorization", "Bearer eyJhbGciOi.secret.sig"}, {"User-Agent", "curl/8.0"}});
  audit::AuditEvent e =
      auth_failed_event(r, {Errc::kExpired, "the token expired at 2026-11-29T10:00:00Z"});
  EXPECT_EQ(e.type, "auth.failed");
  EXPECT_EQ(e.reason, "expired");
  EXPECT_FALSE(e.actor.has_value());
  ASSERT_TRUE(e.request.has_value());
  EXPECT_EQ(e.request->id, "req-42");
  EXPECT_EQ(e.request->ip, "10.1.2.3");
  EXPECT_EQ(e.request->user_agent, "curl/8.0");
  EXPECT_EQ(boost::json::serialize(e.details),
            R"({"message":"the token expired at 2026-11-29T10:00:00Z","path":"/v1/authorize"})");
  std::string json = boost::json::serialize(audit::to_json(e));
  EXPECT_EQ(json.find("secret"), std::string::npos);
  EXPECT_TRUE(audit::validate_content(e).ok());
}

TEST(AuditEvents, HostileUserAgentIsCleanedAndBounded) {
  std::string ua = "a\xff" + std::string(1000, 'b');
  Request r = request_with({{"User-Agent", ua}});
  audit::AuditEvent e = auth_failed_event(r, {Errc::kUnauthenticated, "no bearer token"});
  ASSERT_TRUE(e.request->user_agent.has_value());
  EXPECT_EQ(e.request->user_agent->size(), 256u);
  EXPECT_EQ(e.request->user_agent->substr(0, 4), "a\xEF\xBF\xBD");
  // Sealing works: nothing a client sends can make its event unrecordable.
  EXPECT_TRUE(audit::seal(e, audit::ChainHead{}).ok());
}

TEST(AuditEvents, DecisionHoldsTheVerifiedPrincipalAndTheExplanation) {
  policy::Principal who;
  who.subject = "user:default/jane";
  who.issuer = "corp-sso";
  who.kind = policy::PrincipalKind::kMachine;
  who.email = "jane@example.com";
  who.act = {"agent:bot"};
  policy::Decision d;
  d.verdict = policy::Verdict::kApprovalRequired;
  d.roles = {"reader", "deployer"};
  d.reasons = {"binding 1 gives [reader]", "rule 2 allows update with approval"};
  Request r = request_with({});
  audit::AuditEvent e = decision_event(r, who, policy::Action::kUpdate, "acme/pay/prod", d);
  EXPECT_EQ(e.type, "authz.decision");
  ASSERT_TRUE(e.actor.has_value());
  EXPECT_EQ(e.actor->subject, "user:default/jane");
  EXPECT_EQ(e.actor->issuer, "corp-sso");
  EXPECT_EQ(e.actor->kind, "machine");
  EXPECT_EQ(e.actor->email, "jane@example.com");
  EXPECT_FALSE(e.actor->name.has_value());
  EXPECT_EQ(e.actor->act, std::vector<std::string>{"agent:bot"});
  EXPECT_EQ(e.resource->stack, "acme/pay/prod");
  EXPECT_EQ(e.action, "update");
  EXPECT_EQ(e.decision, "approval_required");
  EXPECT_EQ(e.reason, "binding 1 gives [reader]; rule 2 allows update with approval");
  EXPECT_EQ(boost::json::serialize(e.details), R"({"roles":["reader","deployer"]})");
  EXPECT_FALSE(e.request->user_agent.has_value());
}

TEST(AuditEvents, GlobalDecisionHasNoResource) {
  policy::Principal who;
  who.subject = "sam";
  who.issuer = "corp";
  policy::Decision d;
  d.reasons = {"no role: deny by default"};
  audit::AuditEvent e = decision_event(request_with({}), who, policy::Action::kAudit, "", d);
  EXPECT_FALSE(e.resource.has_value());
  EXPECT_EQ(e.action, "audit");
  EXPECT_EQ(e.decision, "deny");
  EXPECT_EQ(boost::json::serialize(e.details), R"({"roles":[]})");
}

TEST(AuditEvents, UnauthenticatedIsThe401WithItsEvent) {
  Response res = unauthenticated(request_with({}), {Errc::kBadSignature, "bad signature"});
  EXPECT_EQ(res.status, 401);
  ASSERT_EQ(res.audit.size(), 1u);
  EXPECT_EQ(res.audit[0].reason, "bad_signature");
}

}  // namespace
}  // namespace sg::http
