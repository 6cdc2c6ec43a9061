// Delegation: a principal with an acting agent (RFC 8693 `act`) gets the intersection of its own
// and its agent's permissions, in the explained and the fast evaluation alike.
#include <gtest/gtest.h>

#include <memory>

#include "policy/evaluator.hpp"
#include "policy_test_support.hpp"

namespace sg::policy {
namespace {

using testing::compile;
using testing::stack;
using testing::user;

// Users may read, preview and update everything; the agent only read and preview, and update on
// dev with approval; audit for users only.
constexpr const char* kPolicy = R"(roles:
  - name: dev
    rules:
      - allow: [read, preview, update, audit]
        stacks: ['*']
  - name: agent
    rules:
      - allow: [read, preview]
        stacks: ['*']
      - allow: [update]
        stacks: ['acme/*/dev']
        approval: { approvers: [dev] }
  - name: gated
    rules:
      - allow: [destroy]
        stacks: ['*']
        approval: { approvers: [dev] }
bindings:
  - { roles: [dev, gated], when: { kind: user } }
  - { roles: [agent, gated], when: { kind: machine } }
)";

Principal delegated() {
  Principal p = user("user:default/jane", "corp-sso");
  Principal agent = user("agent-7", "agents");
  agent.kind = PrincipalKind::kMachine;
  p.actor = std::make_shared<const Principal>(agent);
  p.act = {"agent-7"};
  return p;
}

Verdict both_ways(const Policy& policy, const Principal& who, Action a, const Stack& s) {
  Decision d = evaluate(policy, who, a, s);
  EXPECT_EQ(d.verdict, verdict_of(policy, who, roles_of(policy, who), a, s)) << action_name(a);
  return d.verdict;
}

TEST(Delegation, AgentBoundsWhatTheSubjectMayDo) {
  auto policy = compile(kPolicy);
  ASSERT_NE(policy, nullptr);
  const Stack prod = stack("acme/pay/prod");
  const Stack dev = stack("acme/pay/dev");
  Principal alone = delegated();
  alone.actor.reset();
  EXPECT_EQ(both_ways(*policy, alone, Action::kUpdate, prod), Verdict::kAllow);
  Principal p = delegated();
  EXPECT_EQ(both_ways(*policy, p, Action::kRead, prod), Verdict::kAllow);
  EXPECT_EQ(both_ways(*policy, p, Action::kUpdate, prod), Verdict::kDeny);
  // The agent needs approval where the subject does not: approval.
  EXPECT_EQ(both_ways(*policy, p, Action::kUpdate, dev), Verdict::kApprovalRequired);
  // Both need approval: one approval cannot stand for two, so it is refused.
  EXPECT_EQ(both_ways(*policy, p, Action::kDestroy, dev), Verdict::kDeny);
}

TEST(Delegation, ExplainsTheAgentsPart) {
  auto policy = compile(kPolicy);
  Decision d = evaluate(*policy, delegated(), Action::kUpdate, stack("acme/pay/prod"));
  EXPECT_EQ(d.verdict, Verdict::kDeny);
  EXPECT_TRUE(d.approvals.empty());
  EXPECT_EQ(d.reasons.back(), "the acting agent agent-7 may not update on acme/pay/prod");
  Decision gated = evaluate(*policy, delegated(), Action::kUpdate, stack("acme/pay/dev"));
  ASSERT_EQ(gated.approvals.size(), 1U);
  EXPECT_EQ(gated.approvals[0].approvers, std::vector<std::string>{"dev"});
  EXPECT_EQ(gated.reasons.back(),
            "the acting agent agent-7 needs approval for update on acme/pay/dev");
  Decision both = evaluate(*policy, delegated(), Action::kDestroy, stack("acme/pay/dev"));
  EXPECT_TRUE(both.approvals.empty());
  EXPECT_EQ(both.reasons.back(),
            "both the subject and the acting agent agent-7 need approval for destroy on "
            "acme/pay/dev: refused");
}

TEST(Delegation, GlobalActionsNeedTheAgentToo) {
  auto policy = compile(kPolicy);
  Principal alone = delegated();
  alone.actor.reset();
  EXPECT_EQ(evaluate_global(*policy, alone, Action::kAudit).verdict, Verdict::kAllow);
  Decision d = evaluate_global(*policy, delegated(), Action::kAudit);
  EXPECT_EQ(d.verdict, Verdict::kDeny);
  EXPECT_EQ(d.reasons.back(), "the acting agent agent-7 may not audit on all stacks");
}

TEST(Delegation, AgentScopeNarrowsToo) {
  auto policy = compile(kPolicy);
  Principal p = delegated();
  Principal agent = *p.actor;
  agent.scope = *Scope::parse("stack:acme/web/*:read");
  p.actor = std::make_shared<const Principal>(agent);
  EXPECT_EQ(both_ways(*policy, p, Action::kRead, stack("acme/pay/prod")), Verdict::kDeny);
  EXPECT_EQ(both_ways(*policy, p, Action::kRead, stack("acme/web/prod")), Verdict::kAllow);
}

TEST(Delegation, PermissionsListTheIntersection) {
  auto policy = compile(kPolicy);
  Principal p = delegated();
  Permissions perm = permissions_on(*policy, p, roles_of(*policy, p), stack("acme/pay/dev"));
  EXPECT_EQ(perm.allowed, (ActionSet{Action::kRead, Action::kPreview}));
  EXPECT_EQ(perm.with_approval, ActionSet{Action::kUpdate});
}

}  // namespace
}  // namespace sg::policy
