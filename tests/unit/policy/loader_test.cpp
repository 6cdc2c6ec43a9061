#include "policy/policy_loader.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "policy_test_support.hpp"

namespace sg::policy {
namespace {

using testing::errors_of;

// The diagnostics as "line:column: message" strings.
std::vector<std::string> diag(const std::string& yaml) {
  std::vector<std::string> out;
  for (const auto& d : errors_of(yaml))
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
  return out;
}

std::string one(const std::string& yaml) {
  auto d = diag(yaml);
  EXPECT_EQ(d.size(), 1U) << ::testing::PrintToString(d);
  return d.empty() ? "" : d[0];
}

TEST(PolicyLoad, ExamplePolicyLoads) {
  auto r = load_policy_file(std::string(STACKGATE_SOURCE_DIR) + "/examples/policy.yaml");
  for (const auto& d : r.diagnostics)
    ADD_FAILURE() << d.to_string();
  ASSERT_NE(r.policy, nullptr);
  EXPECT_EQ(r.policy->roles().size(), 5U);
  EXPECT_EQ(r.policy->bindings().size(), 4U);
}

TEST(PolicyLoad, CompilesRolesRulesAndBindings) {
  auto p = testing::compile(
      "roles:\n"
      "  - name: dev\n"
      "    rules:\n"
      "      - allow: [read, update]\n"
      "        stacks: ['acme/*']\n"
      "        when: { tag.team: '{principal.team}', lifecycle: [a, b] }\n"
      "      - deny: destroy\n"
      "        stacks: '*'\n"
      "bindings:\n"
      "  - { roles: [dev], when: { issuer: corp, claim.groups: eng } }\n");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->roles().size(), 1U);
  const Role& r = p->roles()[0];
  EXPECT_EQ(r.name, "dev");
  ASSERT_EQ(r.rules.size(), 2U);
  EXPECT_EQ(r.rules[0].actions, (ActionSet{Action::kRead, Action::kUpdate}));
  EXPECT_EQ(r.rules[0].when.size(), 2U);
  EXPECT_EQ(r.rules[0].pos.line, 4);
  EXPECT_EQ(r.rules[1].effect, Effect::kDeny);
  EXPECT_EQ(r.rules[1].stacks[0].text(), "*");
  ASSERT_EQ(p->bindings().size(), 1U);
  EXPECT_EQ(p->bindings()[0].when.size(), 2U);
  EXPECT_EQ(p->rule_count(), 2U);
}

TEST(PolicyLoadErrors, UnknownTopLevelSectionWithSuggestion) {
  EXPECT_EQ(one("roles: []\nbinding: []\n"),
            "2:1: binding: unknown section; did you mean 'bindings'?");
}

TEST(PolicyLoadErrors, RolesAreRequired) {
  EXPECT_EQ(one("bindings: []\n"), "1:1: missing required key 'roles'");
}

TEST(PolicyLoadErrors, UnknownKeyInRule) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [read]\n        stack: ['*']\n"
                "        stacks: ['*']\n"),
            "5:9: roles[0].rules[0].stack: unknown key; did you mean 'stacks'?");
}

TEST(PolicyLoadErrors, UnknownActionWithSuggestion) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [read, updte]\n"
                "        stacks: ['*']\n"),
            "4:23: roles[0].rules[0].allow[1]: expected one of read, preview, update, refresh, "
            "destroy, cancel, approve, admin or audit, got \"updte\"; did you mean 'update'?");
}

TEST(PolicyLoadErrors, RuleNeedsExactlyOneOfAllowAndDeny) {
  auto d = diag(
      "roles:\n  - name: r\n    rules:\n      - stacks: ['*']\n"
      "      - allow: [read]\n        deny: [update]\n        stacks: ['*']\n");
  ASSERT_EQ(d.size(), 2U) << ::testing::PrintToString(d);
  EXPECT_NE(d[0].find("4:9"), std::string::npos) << d[0];
  EXPECT_NE(d[1].find("allow"), std::string::npos) << d[1];
}

TEST(PolicyLoadErrors, StacksAreRequired) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [read]\n"),
            "4:9: roles[0].rules[0]: missing required key 'stacks'");
}

TEST(PolicyLoadErrors, EmptyActionList) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: []\n        stacks: ['*']\n"),
            "4:16: roles[0].rules[0].allow: expected at least one an action");
}

TEST(PolicyLoadErrors, StackGlobWithBadCharacters) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [read]\n"
                "        stacks: ['acme payments']\n"),
            "5:18: roles[0].rules[0].stacks[0]: a stack glob may only contain letters, digits, "
            "'.', '_', '-', '/', '*' and '?'");
}

TEST(PolicyLoadErrors, StackGlobThatCanNeverMatch) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [read]\n"
                "        stacks: ['a/b/c/*']\n"),
            "5:18: roles[0].rules[0].stacks[0]: a stack is org/project/stack, so a glob with "
            "more than two '/' never matches");
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [read]\n"
                "        stacks: ['acme/payments']\n"),
            "5:18: roles[0].rules[0].stacks[0]: a stack is written org/project/stack (or use '*' "
            "and '?' to match several)");
}

TEST(PolicyLoadErrors, UnknownStackAttribute) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [read]\n        stacks: ['*']\n"
                "        when: { ownr: x }\n"),
            "6:17: roles[0].rules[0].when.ownr: unknown stack attribute 'ownr'; expected "
            "tag.<name>, owner, org, project, stack, system or lifecycle; did you mean 'owner'?");
}

TEST(PolicyLoadErrors, BadTemplates) {
  auto rule = [](const std::string& value) {
    return "roles:\n  - name: r\n    rules:\n      - allow: [read]\n        stacks: ['*']\n"
           "        when: { owner: '" +
           value + "' }\n";
  };
  EXPECT_NE(one(rule("{principal.tema}")).find("template: unknown principal attribute"),
            std::string::npos);
  EXPECT_NE(one(rule("{principal.team")).find("'{' without a closing '}'"), std::string::npos);
  EXPECT_NE(one(rule("{user.team}")).find("a template is written {principal.<attribute>}"),
            std::string::npos);
  EXPECT_NE(one(rule("{principal.team}-{principal.email}")).find("at most one template"),
            std::string::npos);
  EXPECT_NE(one(rule("*-{principal.team}")).find("either a glob or a template"), std::string::npos);
  EXPECT_NE(one(rule("team}")).find("'}' without a '{'"), std::string::npos);
  EXPECT_NE(one(rule("{principal.claim.}")).find("the claim path is empty"), std::string::npos);
}

TEST(PolicyLoadErrors, TemplatesAreNotAllowedInBindings) {
  EXPECT_NE(one("roles:\n  - name: r\n    rules: []\nbindings:\n"
                "  - { roles: [r], when: { team: '{principal.team}' } }\n")
                .find("templates like {principal.team} belong in rule conditions"),
            std::string::npos);
}

TEST(PolicyLoadErrors, UnknownRoleInBindingWithSuggestion) {
  EXPECT_EQ(one("roles:\n  - name: reader\n    rules: []\nbindings:\n  - roles: [raeder]\n"),
            "5:13: bindings[0].roles[0]: unknown role 'raeder'; did you mean 'reader'?");
}

TEST(PolicyLoadErrors, UnknownRoleInApproval) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [update]\n        stacks: ['*']\n"
                "        approval: { approvers: [admins] }\n"),
            "6:33: roles[0].rules[0].approval.approvers[0]: unknown role 'admins'");
}

TEST(PolicyLoadErrors, ApprovalOnDenyRule) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - deny: [update]\n        stacks: ['*']\n"
                "        approval: { approvers: [r] }\n"),
            "6:19: roles[0].rules[0].approval: a deny rule cannot ask for approval; only allow "
            "rules can");
}

TEST(PolicyLoadErrors, ApprovalCountBounds) {
  EXPECT_NE(one("roles:\n  - name: r\n    rules:\n      - allow: [update]\n        stacks: ['*']\n"
                "        approval: { approvers: [r], count: 0 }\n")
                .find("approval.count"),
            std::string::npos);
}

TEST(PolicyLoadErrors, AuditOnlyOnAllStacksWithoutConditions) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules:\n      - allow: [audit]\n"
                "        stacks: ['acme/*']\n"),
            "4:16: roles[0].rules[0].allow: audit is not about one stack: grant it in a rule with "
            "stacks: [\"*\"], without when or approval");
  EXPECT_EQ(diag("roles:\n  - name: r\n    rules:\n      - allow: [audit]\n        stacks: ['*']\n"
                 "        when: { org: acme }\n")
                .size(),
            1U);
}

TEST(PolicyLoadErrors, DuplicateRoleName) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules: []\n  - name: r\n    rules: []\n"),
            "4:11: roles[1].name: role 'r' is already defined at roles[0]");
}

TEST(PolicyLoadErrors, UnknownPrincipalAttributeInBinding) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules: []\nbindings:\n  - { roles: [r], when: { isuer: x "
                "} }\n"),
            "5:27: bindings[0].when.isuer: 'isuer': unknown principal attribute; expected subject, "
            "issuer, kind, email, name, team, groups, ownership or claim.<path>; did you mean "
            "'issuer'?");
}

TEST(PolicyLoadErrors, KindMustBeUserOrMachine) {
  EXPECT_EQ(one("roles:\n  - name: r\n    rules: []\nbindings:\n  - { roles: [r], when: { kind: "
                "robot } }\n"),
            "5:33: bindings[0].when.kind: expected one of user or machine, got \"robot\"");
}

TEST(PolicyLoadErrors, ValuesOfAnUnknownAttributeAreCheckedToo) {
  auto d = diag(
      "roles:\n  - name: r\n    rules:\n      - allow: [read]\n        stacks: ['*']\n"
      "        when: { ownr: '{principal.tema}' }\n");
  ASSERT_EQ(d.size(), 2U) << ::testing::PrintToString(d);
  EXPECT_NE(d[0].find("unknown stack attribute 'ownr'"), std::string::npos) << d[0];
  EXPECT_NE(d[1].find("template: unknown principal attribute"), std::string::npos) << d[1];
}

TEST(PolicyLoadErrors, ReportsEveryErrorNotJustTheFirst) {
  auto d = diag(
      "roles:\n  - name: r\n    rules:\n      - allow: [fly]\n        stacks: ['*']\n"
      "      - deny: [read]\n        stacks: ['a b']\nbindings:\n  - roles: [q]\n");
  EXPECT_EQ(d.size(), 3U) << ::testing::PrintToString(d);
}

TEST(PolicyLoadErrors, InvalidYamlNamesThePosition) {
  auto d = errors_of("roles: [\n");
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].file, "policy.yaml");
  EXPECT_GT(d[0].line, 0);
  EXPECT_NE(d[0].message.find("invalid YAML"), std::string::npos);
}

TEST(PolicyLoadErrors, DeeplyNestedYamlIsAnErrorNotACrash) {
  std::string deep(100000, '[');
  auto d = errors_of("roles: " + deep + "\n");
  ASSERT_FALSE(d.empty());
}

TEST(PolicyLoadErrors, MissingFile) {
  auto r = load_policy_file("/nonexistent/policy.yaml");
  ASSERT_EQ(r.diagnostics.size(), 1U);
  EXPECT_EQ(r.diagnostics[0].to_string(),
            "/nonexistent/policy.yaml: cannot read the file: No such file or directory");
  EXPECT_EQ(r.policy, nullptr);
}

TEST(PolicyLoadErrors, OversizedText) {
  std::string big(kMaxPolicyBytes + 1, '#');
  auto d = errors_of(big);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].message, "the policy is larger than 16 MiB");
}

}  // namespace
}  // namespace sg::policy
