#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "policy/policy_tests.hpp"
#include "policy/principal_json.hpp"

namespace sg::policy {
namespace {

PolicyTests load(const std::string& yaml) {
  PolicyTestsLoadResult r = load_policy_tests_text(yaml, "tests.yaml");
  for (const auto& d : r.diagnostics)
    ADD_FAILURE() << d.to_string();
  return r.tests.value_or(PolicyTests{});
}

// The diagnostics as "line:column: message" strings.
std::vector<std::string> diag(const std::string& yaml) {
  PolicyTestsLoadResult r = load_policy_tests_text(yaml, "tests.yaml");
  EXPECT_FALSE(r.tests.has_value());
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics)
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
  return out;
}

std::string one(const std::string& yaml) {
  auto d = diag(yaml);
  EXPECT_EQ(d.size(), 1U) << ::testing::PrintToString(d);
  return d.empty() ? "" : d[0];
}

// A valid case to put after the section under test.
const std::string kCase =
    "cases:\n"
    "  - { name: c, principal: { subject: s }, action: read, stack: a/b/c, expect: deny }\n";

TEST(PolicyTestsRead, ReadsPrincipalsStacksAndCases) {
  PolicyTests t = load(
      "principals:\n"
      "  jane: { subject: 'user:default/jane', issuer: corp-sso, team: payments,\n"
      "          groups: [engineering] }\n"
      "stacks:\n"
      "  - { ref: acme/payments/prod, owner: 'group:default/payments', lifecycle: production }\n"
      "  - ref: acme/ledger/dev\n"
      "    tags: { team: ledger }\n"
      "    system: ledger\n"
      "cases:\n"
      "  - name: jane updates dev\n"
      "    principal: jane\n"
      "    action: update\n"
      "    stack: acme/payments/dev\n"
      "    expect: allow\n"
      "  - name: prod needs approval\n"
      "    principal: { subject: 'user:default/bob', kind: machine }\n"
      "    action: update\n"
      "    stack: acme/payments/prod\n"
      "    expect: approval_required\n"
      "    approvers: [sre, platform-admin, sre]\n"
      "  - { name: audit, principal: jane, action: audit, expect: deny }\n");
  EXPECT_EQ(t.file, "tests.yaml");
  ASSERT_EQ(t.stacks.size(), 2U);
  EXPECT_EQ(t.stacks[0].ref, (StackRef{"acme", "payments", "prod"}));
  EXPECT_EQ(t.stacks[0].owner, "group:default/payments");
  EXPECT_EQ(t.stacks[0].lifecycle, "production");
  EXPECT_FALSE(t.stacks[0].tags.has_value());
  EXPECT_FALSE(t.stacks[0].system.has_value());
  EXPECT_EQ(t.stacks[1].tags, (std::map<std::string, std::string>{{"team", "ledger"}}));
  EXPECT_EQ(t.stacks[1].system, "ledger");
  ASSERT_EQ(t.cases.size(), 3U);
  const PolicyTestCase& c0 = t.cases[0];
  EXPECT_EQ(c0.name, "jane updates dev");
  EXPECT_EQ(c0.line, 10);
  EXPECT_EQ(c0.principal.subject, "user:default/jane");
  EXPECT_EQ(c0.principal.issuer, "corp-sso");
  EXPECT_EQ(c0.principal.team, "payments");
  EXPECT_EQ(c0.principal.groups, (std::vector<std::string>{"engineering"}));
  EXPECT_EQ(c0.action, Action::kUpdate);
  EXPECT_EQ(c0.stack, (StackRef{"acme", "payments", "dev"}));
  EXPECT_EQ(c0.expect, Verdict::kAllow);
  EXPECT_FALSE(c0.approvers.has_value());
  const PolicyTestCase& c1 = t.cases[1];
  EXPECT_EQ(c1.line, 15);
  EXPECT_EQ(c1.principal.subject, "user:default/bob");
  EXPECT_EQ(c1.principal.kind, PrincipalKind::kMachine);
  EXPECT_EQ(c1.expect, Verdict::kApprovalRequired);
  EXPECT_EQ(c1.approvers, (std::vector<std::string>{"platform-admin", "sre"}));
  const PolicyTestCase& c2 = t.cases[2];
  EXPECT_EQ(c2.line, 21);
  EXPECT_EQ(c2.action, Action::kAudit);
  EXPECT_FALSE(c2.stack.has_value());
  EXPECT_EQ(c2.expect, Verdict::kDeny);
}

TEST(PolicyTestsRead, ClaimsKeepYamlScalarTypesAndOtherFieldsAreStrings) {
  PolicyTests t = load(
      "cases:\n"
      "  - name: c\n"
      "    principal:\n"
      "      subject: 42\n"
      "      team: true\n"
      "      claims: { admin: true, level: 3, quoted: '3', groups: [a, 7], sub: { x: ~ } }\n"
      "      scope: 'stack:acme/*:read'\n"
      "    action: read\n"
      "    stack: acme/a/b\n"
      "    expect: allow\n");
  ASSERT_EQ(t.cases.size(), 1U);
  const Principal& p = t.cases[0].principal;
  EXPECT_EQ(p.subject, "42");
  EXPECT_EQ(p.team, "true");
  EXPECT_EQ(boost::json::serialize(p.claims),
            R"({"admin":true,"level":3,"quoted":"3","groups":["a",7],"sub":{"x":null}})");
  ASSERT_TRUE(p.scope.has_value());
  EXPECT_EQ(p.scope->to_string(), "stack:acme/*:read");
}

TEST(PolicyTestsReadErrors, CasesAreRequired) {
  EXPECT_EQ(one("principals: {}\n"), "1:1: missing required key 'cases'");
}

TEST(PolicyTestsReadErrors, AnEmptyListOfCasesIsAnError) {
  EXPECT_EQ(one("cases: []\n"), "1:8: cases: expected at least one case");
}

TEST(PolicyTestsReadErrors, UnknownSectionWithSuggestion) {
  EXPECT_EQ(one("principal: {}\n" + kCase),
            "1:1: principal: unknown section; did you mean "
            "'principals'?");
}

TEST(PolicyTestsReadErrors, MisspeltExpectationWithSuggestion) {
  EXPECT_EQ(one("cases:\n"
                "  - name: c\n"
                "    principal: { subject: s }\n"
                "    action: read\n"
                "    stack: a/b/c\n"
                "    expect: alow\n"),
            "6:13: cases[0].expect: expected one of allow, deny or approval_required, got "
            "\"alow\"; did you mean 'allow'?");
}

TEST(PolicyTestsReadErrors, UnknownActionWithSuggestion) {
  EXPECT_EQ(one("cases:\n"
                "  - name: c\n"
                "    principal: { subject: s }\n"
                "    action: updte\n"
                "    stack: a/b/c\n"
                "    expect: deny\n"),
            "4:13: cases[0].action: expected one of read, preview, update, refresh, destroy, "
            "cancel, approve, admin or audit, got \"updte\"; did you mean 'update'?");
}

TEST(PolicyTestsReadErrors, UnknownKeyInACaseWithSuggestion) {
  EXPECT_EQ(diag("cases:\n"
                 "  - name: c\n"
                 "    principal: { subject: s }\n"
                 "    action: read\n"
                 "    stak: a/b/c\n"
                 "    expect: deny\n"),
            (std::vector<std::string>{
                "2:5: cases[0]: missing required key 'stack'",
                "5:5: cases[0].stak: unknown key; did you mean 'stack'?",
            }));
}

TEST(PolicyTestsReadErrors, EveryRequiredKeyOfACaseIsReported) {
  EXPECT_EQ(diag("cases:\n  - { stack: a/b/c }\n"),
            (std::vector<std::string>{
                "2:5: cases[0]: missing required key 'name'",
                "2:5: cases[0]: missing required key 'principal'",
                "2:5: cases[0]: missing required key 'action'",
                "2:5: cases[0]: missing required key 'expect'",
            }));
}

TEST(PolicyTestsReadErrors, UnknownPrincipalNameWithSuggestion) {
  EXPECT_EQ(one("principals:\n"
                "  jane: { subject: s }\n"
                "cases:\n"
                "  - { name: c, principal: jnae, action: read, stack: a/b/c, expect: deny }\n"),
            "4:27: cases[0].principal: unknown principal \"jnae\"; did you mean 'jane'?");
}

TEST(PolicyTestsReadErrors, PrincipalNameWithoutAPrincipalsSection) {
  EXPECT_EQ(one("cases:\n"
                "  - { name: c, principal: jane, action: read, stack: a/b/c, expect: deny }\n"),
            "2:27: cases[0].principal: unknown principal \"jane\" (the file has no principals: "
            "section)");
}

TEST(PolicyTestsReadErrors, PrincipalFieldOfTheWrongTypeIsReportedAtItsValue) {
  EXPECT_EQ(one("principals:\n"
                "  jane:\n"
                "    subject: s\n"
                "    groups: engineering\n" +
                kCase),
            "4:13: principals.jane.groups: expected an array of strings, got a string");
}

TEST(PolicyTestsReadErrors, PrincipalListItemOfTheWrongType) {
  EXPECT_EQ(one("principals:\n"
                "  jane: { subject: s, ownership: [a, { b: c }] }\n" +
                kCase),
            "2:34: principals.jane.ownership: item 2: expected a string, got an object");
}

TEST(PolicyTestsReadErrors, UnknownPrincipalFieldIsReportedAtItsKeyWithSuggestion) {
  EXPECT_EQ(one("principals:\n"
                "  jane: { subject: s, teams: payments }\n" +
                kCase),
            "2:23: principals.jane: unknown field \"teams\"; did you mean 'team'?");
}

TEST(PolicyTestsReadErrors, PrincipalWithoutSubject) {
  EXPECT_EQ(one("principals:\n"
                "  jane: { issuer: corp-sso }\n" +
                kCase),
            "2:9: principals.jane: subject: missing; it is required");
}

TEST(PolicyTestsReadErrors, PrincipalOfUnknownKind) {
  EXPECT_EQ(one("principals:\n"
                "  bot: { subject: s, kind: robot }\n" +
                kCase),
            "2:28: principals.bot.kind: expected \"user\" or \"machine\"");
}

TEST(PolicyTestsReadErrors, PrincipalWithABadScope) {
  EXPECT_EQ(one("principals:\n"
                "  bot: { subject: s, scope: 'stack:a/b/c:fly' }\n" +
                kCase),
            "2:29: principals.bot.scope: scope item 1: unknown action (expected read, preview, "
            "update, refresh, destroy, cancel, approve, admin or audit)");
}

TEST(PolicyTestsReadErrors, PrincipalThatIsNotAMapping) {
  EXPECT_EQ(one("principals:\n"
                "  jane: [subject]\n" +
                kCase),
            "2:9: principals.jane: expected a principal (a mapping of its fields), got a list");
}

TEST(PolicyTestsReadErrors, DuplicateKeyInAPrincipal) {
  EXPECT_EQ(one("principals:\n"
                "  jane: { subject: s, team: a, team: b }\n" +
                kCase),
            "2:32: principals.jane.team: duplicate key (first set at line 2)");
}

TEST(PolicyTestsReadErrors, DuplicateKeyInClaims) {
  EXPECT_EQ(one("principals:\n"
                "  jane: { subject: s, claims: { a: 1, a: 2 } }\n" +
                kCase),
            "2:39: principals.jane.claims.a: duplicate key");
}

TEST(PolicyTestsReadErrors, ClaimsNestedTooDeeplyAreReportedWhereTheyGoTooDeep) {
  std::string deep = "1";
  std::string path = "principals.jane.claims.a";
  for (std::size_t i = 0; i < kMaxClaimsDepth; ++i) {
    deep = "[" + deep + "]";
    if (i > 0) path += "[0]";
  }
  path += "[0]";
  std::string line = "  jane: { subject: s, claims: { a: " + deep + " } }\n";
  int column = static_cast<int>(line.find('1')) + 1;
  EXPECT_EQ(one("principals:\n" + line + kCase),
            "2:" + std::to_string(column) + ": " + path + ": nested deeper than 16 levels");
}

TEST(PolicyTestsReadErrors, InlinePrincipalErrorsArePositionedToo) {
  EXPECT_EQ(one("cases:\n"
                "  - name: c\n"
                "    principal: { subject: s, email: [a] }\n"
                "    action: read\n"
                "    stack: a/b/c\n"
                "    expect: deny\n"),
            "3:37: cases[0].principal.email: expected a string, got an array");
}

TEST(PolicyTestsReadErrors, ABrokenPrincipalIsReportedOnceNotAgainByItsCases) {
  EXPECT_EQ(diag("principals:\n"
                 "  jane: { subject: '' }\n"
                 "cases:\n"
                 "  - { name: a, principal: jane, action: read, stack: a/b/c, expect: deny }\n"
                 "  - { name: b, principal: jane, action: read, stack: a/b/c, expect: deny }\n"),
            (std::vector<std::string>{"2:20: principals.jane.subject: must not be empty"}));
}

TEST(PolicyTestsReadErrors, StackActionNeedsAStack) {
  EXPECT_EQ(
      one("cases:\n  - { name: c, principal: { subject: s }, action: update, expect: deny }\n"),
      "2:5: cases[0]: missing required key 'stack'");
}

TEST(PolicyTestsReadErrors, AuditTakesNoStack) {
  EXPECT_EQ(one("cases:\n"
                "  - { name: c, principal: { subject: s }, action: audit, stack: a/b/c, "
                "expect: deny }\n"),
            "2:65: cases[0].stack: audit is not about one stack: leave stack out of this case");
}

TEST(PolicyTestsReadErrors, StackMustBeOrgProjectStack) {
  EXPECT_EQ(one("cases:\n"
                "  - { name: c, principal: { subject: s }, action: read, stack: acme/payments, "
                "expect: deny }\n"),
            "2:64: cases[0].stack: a stack is written org/project/stack");
}

TEST(PolicyTestsReadErrors, CaseNamesAreUnique) {
  EXPECT_EQ(one("cases:\n"
                "  - { name: c, principal: { subject: s }, action: read, stack: a/b/c, "
                "expect: deny }\n"
                "  - { name: c, principal: { subject: s }, action: read, stack: a/b/c, "
                "expect: deny }\n"),
            "3:13: cases[1].name: duplicate case name \"c\" (already used by cases[0])");
}

TEST(PolicyTestsReadErrors, ApproversOnlyWithApprovalRequired) {
  EXPECT_EQ(one("cases:\n"
                "  - { name: c, principal: { subject: s }, action: read, stack: a/b/c, "
                "expect: allow, approvers: [admin] }\n"),
            "2:97: cases[0].approvers: approvers are checked only when expect is "
            "approval_required");
}

TEST(PolicyTestsReadErrors, ApproversMayNotBeEmpty) {
  EXPECT_EQ(one("cases:\n"
                "  - { name: c, principal: { subject: s }, action: read, stack: a/b/c, "
                "expect: approval_required, approvers: [] }\n"),
            "2:109: cases[0].approvers: expected at least one role name");
}

TEST(PolicyTestsReadErrors, StackEntriesNeedAValidUniqueRef) {
  EXPECT_EQ(diag("stacks:\n"
                 "  - { owner: 'group:default/a' }\n"
                 "  - { ref: acme/x }\n"
                 "  - { ref: acme/x/dev }\n"
                 "  - { ref: acme/x/dev, owners: b }\n" +
                 kCase),
            (std::vector<std::string>{
                "2:5: stacks[0]: missing required key 'ref'",
                "3:12: stacks[1].ref: a stack is written org/project/stack",
                "5:12: stacks[3].ref: duplicate stack \"acme/x/dev\" (already used by stacks[2])",
                "5:24: stacks[3].owners: unknown key; did you mean 'owner'?",
            }));
}

TEST(PolicyTestsReadErrors, StackTagsMustBeAMappingOfStrings) {
  EXPECT_EQ(one("stacks:\n  - { ref: a/b/c, tags: [team] }\n" + kCase),
            "2:25: stacks[0].tags: expected a mapping, got a list");
}

TEST(PolicyTestsReadErrors, ReportsEveryProblemOfTheFileAtOnce) {
  auto d = diag(
      "principals:\n"
      "  jane: { subject: s, grups: [a] }\n"
      "cases:\n"
      "  - { name: a, principal: jane, action: read, stack: a/b/c, expect: alow }\n"
      "  - { name: b, principal: { subject: s }, action: reed, stack: a/b/c, expect: deny }\n");
  ASSERT_EQ(d.size(), 3U) << ::testing::PrintToString(d);
  EXPECT_TRUE(d[0].starts_with("2:23: principals.jane: unknown field \"grups\"")) << d[0];
  EXPECT_TRUE(d[1].starts_with("4:69: cases[0].expect: ")) << d[1];
  EXPECT_TRUE(d[2].starts_with("5:51: cases[1].action: ")) << d[2];
}

TEST(PolicyTestsReadErrors, InvalidYamlNamesThePosition) {
  EXPECT_EQ(one("cases:\n  - { name: [unclosed\n"),
            "3:1: invalid YAML: end of sequence flow not found");
}

TEST(PolicyTestsReadErrors, TheDocumentMustBeAMapping) {
  EXPECT_EQ(one("- a\n- b\n"), "1:1: expected a mapping, got a list");
}

TEST(PolicyTestsReadErrors, MissingFileSaysSo) {
  PolicyTestsLoadResult r = load_policy_tests_file("/nonexistent/tests.yaml");
  EXPECT_FALSE(r.tests.has_value());
  ASSERT_EQ(r.diagnostics.size(), 1U);
  EXPECT_EQ(r.diagnostics[0].to_string(),
            "/nonexistent/tests.yaml: cannot read the file: No such file or directory");
}

TEST(PolicyTestsReadErrors, TextLargerThanTheBoundIsRefused) {
  std::string big(kMaxPolicyTestBytes + 1, '#');
  PolicyTestsLoadResult r = load_policy_tests_text(big, "tests.yaml");
  ASSERT_EQ(r.diagnostics.size(), 1U);
  EXPECT_EQ(r.diagnostics[0].to_string(), "tests.yaml: the test file is larger than 16 MiB");
}

}  // namespace
}  // namespace sg::policy
