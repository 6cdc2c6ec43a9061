#include <gtest/gtest.h>

#include "policy/policy_tests.hpp"
#include "policy_test_support.hpp"

namespace sg::policy {
namespace {

using testing::stack;

// Line 4: dev's rule; line 9: deployer's rule; line 14: admin's rule; line 18: binding 1.
const char* const kPolicy =
    "roles:\n"
    "  - name: dev\n"
    "    rules:\n"
    "      - allow: [read, update]\n"
    "        stacks: ['acme/*/dev']\n"
    "        when: { tag.team: '{principal.team}' }\n"
    "  - name: deployer\n"
    "    rules:\n"
    "      - allow: [update]\n"
    "        stacks: ['acme/*/prod']\n"
    "        approval: { approvers: [admin, sre], count: 2 }\n"
    "  - name: admin\n"
    "    rules:\n"
    "      - allow: [audit]\n"
    "        stacks: ['*']\n"
    "  - name: sre\n"
    "bindings:\n"
    "  - { roles: [dev, deployer], when: { issuer: corp-sso } }\n"
    "  - { roles: [admin], when: { groups: admins } }\n";

const char* const kPrincipals =
    "principals:\n"
    "  jane: { subject: 'user:default/jane', issuer: corp-sso, team: payments }\n"
    "  root: { subject: 'user:default/root', groups: [admins] }\n";

// The configuration's stacks.
std::vector<Stack> configured() {
  return {stack("acme/payments/dev", {{"team", "payments"}}),
          stack("acme/payments/prod", {{"team", "payments"}})};
}

struct Outcome {
  PolicyTests tests;
  PolicyTestReport report;
};

Outcome run_cases(const std::string& cases) {
  auto policy = testing::compile(kPolicy);
  PolicyTestsLoadResult loaded = load_policy_tests_text(kPrincipals + cases, "tests.yaml");
  for (const auto& d : loaded.diagnostics)
    ADD_FAILURE() << d.to_string();
  Outcome r{loaded.tests.value_or(PolicyTests{}), {}};
  if (policy) r.report = run_policy_tests(*policy, r.tests, configured());
  return r;
}

TEST(PolicyTestsRun, CasesWhoseDecisionMatchesTheExpectationPass) {
  Outcome r = run_cases(
      "cases:\n"
      "  - { name: a, principal: jane, action: update, stack: acme/payments/dev, expect: allow }\n"
      "  - { name: b, principal: jane, action: destroy, stack: acme/payments/dev, expect: deny }\n"
      "  - { name: c, principal: root, action: audit, expect: allow }\n"
      "  - { name: d, principal: jane, action: audit, expect: deny }\n");
  EXPECT_EQ(r.report.passed, 4U);
  EXPECT_EQ(r.report.failed, 0U);
  ASSERT_EQ(r.report.results.size(), 4U);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.report.results[i].index, i);
    EXPECT_TRUE(r.report.results[i].passed) << i;
    EXPECT_TRUE(r.report.results[i].stack_known) << i;
  }
  EXPECT_EQ(r.report.results[2].decision.verdict, Verdict::kAllow);
}

TEST(PolicyTestsRun, AFailingCaseIsReportedWithItsLineAndTheDecisionsReasons) {
  Outcome r = run_cases(
      "cases:\n"
      "  - { name: ok, principal: jane, action: read, stack: acme/payments/dev, expect: allow }\n"
      "  - name: jane destroys dev\n"
      "    principal: jane\n"
      "    action: destroy\n"
      "    stack: acme/payments/dev\n"
      "    expect: allow\n");
  EXPECT_EQ(r.report.passed, 1U);
  EXPECT_EQ(r.report.failed, 1U);
  ASSERT_EQ(r.report.results.size(), 2U);
  const CaseResult& failed = r.report.results[1];
  EXPECT_FALSE(failed.passed);
  EXPECT_EQ(failed.decision.verdict, Verdict::kDeny);
  EXPECT_EQ(describe_failure(r.tests, failed),
            "tests.yaml:6: case \"jane destroys dev\": expected allow, got deny\n"
            "  binding 1 (policy.yaml:18) gives [dev, deployer]\n"
            "  no rule of roles [dev, deployer] allows destroy on acme/payments/dev\n");
}

TEST(PolicyTestsRun, ApprovalRequiredPassesAndItsApproversAreComparedAsASet) {
  Outcome r = run_cases(
      "cases:\n"
      "  - { name: any, principal: jane, action: update, stack: acme/payments/prod,\n"
      "      expect: approval_required }\n"
      "  - { name: same, principal: jane, action: update, stack: acme/payments/prod,\n"
      "      expect: approval_required, approvers: [sre, admin] }\n"
      "  - { name: other, principal: jane, action: update, stack: acme/payments/prod,\n"
      "      expect: approval_required, approvers: [admin] }\n");
  EXPECT_EQ(r.report.passed, 2U);
  EXPECT_EQ(r.report.failed, 1U);
  ASSERT_EQ(r.report.results.size(), 3U);
  const CaseResult& other = r.report.results[2];
  EXPECT_FALSE(other.passed);
  ASSERT_EQ(other.decision.approvals.size(), 1U);
  EXPECT_EQ(describe_failure(r.tests, other),
            "tests.yaml:9: case \"other\": expected approval_required with approvers [admin], got "
            "approval_required with approvers [admin, sre]\n"
            "  binding 1 (policy.yaml:18) gives [dev, deployer]\n"
            "  role deployer, rule 1 (policy.yaml:9) allows update on acme/payments/prod with the "
            "approval of 2 holders of [admin, sre]\n"
            "  approval: 2 holders of [admin, sre], asked by role deployer, rule 1 "
            "(policy.yaml:9)\n");
}

TEST(PolicyTestsRun, ExpectingApprovalButGettingAnotherVerdictFails) {
  Outcome r = run_cases(
      "cases:\n"
      "  - { name: x, principal: jane, action: update, stack: acme/payments/dev,\n"
      "      expect: approval_required, approvers: [admin] }\n");
  ASSERT_EQ(r.report.results.size(), 1U);
  EXPECT_EQ(r.report.failed, 1U);
  EXPECT_TRUE(describe_failure(r.tests, r.report.results[0])
                  .starts_with("tests.yaml:5: case \"x\": expected approval_required with "
                               "approvers [admin], got allow\n"));
}

TEST(PolicyTestsRun, FileStacksReplaceTheAttributesTheConfigurationGives) {
  Outcome r = run_cases(
      "stacks:\n"
      "  - { ref: acme/payments/dev, tags: { team: ledger } }\n"
      "cases:\n"
      "  - { name: a, principal: jane, action: update, stack: acme/payments/dev, expect: deny }\n");
  EXPECT_EQ(r.report.passed, 1U);
  ASSERT_EQ(r.report.results.size(), 1U);
  EXPECT_TRUE(r.report.results[0].stack_known);
}

TEST(PolicyTestsRun, FileStacksAddStacksTheConfigurationLacks) {
  Outcome r = run_cases(
      "stacks:\n"
      "  - { ref: acme/ledger/dev, tags: { team: payments } }\n"
      "cases:\n"
      "  - { name: a, principal: jane, action: update, stack: acme/ledger/dev, expect: allow }\n");
  EXPECT_EQ(r.report.passed, 1U);
  ASSERT_EQ(r.report.results.size(), 1U);
  EXPECT_TRUE(r.report.results[0].stack_known);
}

TEST(PolicyTestsRun, AnUnknownStackIsEvaluatedWithItsNamesOnlyAndTheFailureSaysSo) {
  Outcome r = run_cases(
      "cases:\n"
      "  - { name: a, principal: jane, action: update, stack: acme/ledger/dev, expect: allow }\n");
  ASSERT_EQ(r.report.results.size(), 1U);
  const CaseResult& c = r.report.results[0];
  EXPECT_FALSE(c.passed);
  EXPECT_FALSE(c.stack_known);
  EXPECT_EQ(describe_failure(r.tests, c),
            "tests.yaml:5: case \"a\": expected allow, got deny\n"
            "  binding 1 (policy.yaml:18) gives [dev, deployer]\n"
            "  no rule of roles [dev, deployer] allows update on acme/ledger/dev\n"
            "  note: acme/ledger/dev is in neither the configuration nor the file's stacks: "
            "evaluated with only its org, project and name\n");
}

TEST(PolicyTestsRun, TheTokenScopeOfAPrincipalNarrowsTheDecision) {
  Outcome r = run_cases(
      "cases:\n"
      "  - name: scoped\n"
      "    principal: { subject: s, issuer: corp-sso, team: payments,\n"
      "                 scope: 'stack:acme/*:read' }\n"
      "    action: update\n"
      "    stack: acme/payments/dev\n"
      "    expect: deny\n");
  EXPECT_EQ(r.report.passed, 1U);
  ASSERT_EQ(r.report.results.size(), 1U);
  EXPECT_EQ(r.report.results[0].decision.reasons.back(),
            "the token's scope does not include update on acme/payments/dev");
}

TEST(ApplyOverrides, SetAttributesReplaceAndTheRestAreKept) {
  StackOverride o;
  o.ref = StackRef{"acme", "payments", "dev"};
  o.tags = std::map<std::string, std::string>{{"env", "dev"}};
  o.lifecycle = "experimental";
  std::vector<Stack> known = {stack("acme/payments/dev", {{"team", "payments"}}, "group:x", "pay")};
  std::vector<Stack> out = apply_overrides(known, {o});
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].ref, "acme/payments/dev");
  EXPECT_EQ(out[0].tags, (std::map<std::string, std::string, std::less<>>{{"env", "dev"}}));
  EXPECT_EQ(out[0].owner, "group:x");
  EXPECT_EQ(out[0].system, "pay");
  EXPECT_EQ(out[0].lifecycle, "experimental");
}

TEST(ApplyOverrides, AnUnknownReferenceAddsAStack) {
  StackOverride o;
  o.ref = StackRef{"acme", "ledger", "prod"};
  o.owner = "group:default/ledger";
  std::vector<Stack> out = apply_overrides({stack("acme/payments/dev")}, {o});
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[1].ref, "acme/ledger/prod");
  EXPECT_EQ(out[1].org, "acme");
  EXPECT_EQ(out[1].owner, "group:default/ledger");
  EXPECT_TRUE(out[1].tags.empty());
}

}  // namespace
}  // namespace sg::policy
