// Table-driven cases for every construct of the policy language and every semantic rule of
// docs/policy.md: each case is a small policy, a principal, an action, a stack and the verdict.
#include "policy/evaluator.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "policy_test_support.hpp"

namespace sg::policy {
namespace {

using testing::compile;
using testing::stack;
using testing::user;

struct EvalCase {
  std::string name;
  std::string policy;
  std::function<Principal()> who;
  Action action;
  std::function<Stack()> target;
  Verdict want;
};

std::ostream& operator<<(std::ostream& os, const EvalCase& c) {
  return os << c.name;
}

// A policy with one role bound to everyone: `rules` is the YAML list of its rules.
std::string one_role(const std::string& rules) {
  return "roles:\n  - name: r\n    rules:\n" + rules + "bindings:\n  - roles: [r]\n";
}

Principal jane() {
  Principal p = user("user:default/jane", "corp-sso");
  p.email = "jane@example.com";
  p.team = "payments";
  p.groups = {"engineering", "payments-devs"};
  p.ownership = {"user:default/jane", "group:default/payments"};
  p.claims = {{"sub", "user:default/jane"},
              {"groups", boost::json::array{"engineering", "payments-devs"}},
              {"realm", {{"roles", boost::json::array{"deployer"}}}},
              {"email_verified", true},
              {"level", 3},
              {"https://example.com/site", "berlin"}};
  return p;
}

Principal bot() {
  Principal p = user("repo:acme/infra:ref:refs/heads/main", "github-actions");
  p.kind = PrincipalKind::kMachine;
  p.claims = {{"repository_owner", "acme"}, {"ref", "refs/heads/main"}};
  return p;
}

Principal nobody() {
  Principal p = user("user:default/nobody", "backstage");
  return p;
}

Stack dev() {
  return stack("acme/payments/dev", {{"team", "payments"}, {"env", "dev"}},
               "group:default/payments", "billing", "experimental");
}
Stack prod() {
  return stack("acme/payments/prod", {{"team", "payments"}, {"env", "prod"}},
               "group:default/payments", "billing", "production");
}
Stack web() {
  return stack("acme/web/dev", {{"team", "web"}}, "group:default/web");
}
Stack bare() {
  return stack("other/thing/dev");
}

const std::string kAllowReadAll = "      - allow: [read]\n        stacks: ['*']\n";

std::vector<EvalCase> cases() {
  using enum Verdict;
  return {
      // Deny by default.
      {"EmptyPolicyDeniesEverything", "roles: []\n", jane, Action::kRead, dev, kDeny},
      {"RoleWithoutBindingGrantsNothing", "roles:\n  - name: r\n    rules:\n" + kAllowReadAll, jane,
       Action::kRead, dev, kDeny},
      {"AllowedActionIsAllowed", one_role(kAllowReadAll), jane, Action::kRead, dev, kAllow},
      {"ActionNotListedIsDenied", one_role(kAllowReadAll), jane, Action::kUpdate, dev, kDeny},
      {"EveryListedActionIsAllowed",
       one_role("      - allow: [read, preview, update, refresh, destroy, cancel, approve, "
                "admin]\n        stacks: ['*']\n"),
       jane, Action::kAdmin, dev, kAllow},
      // Stack globs.
      {"LiteralStackMatchesItself",
       one_role("      - allow: [read]\n        stacks: [acme/payments/dev]\n"), jane,
       Action::kRead, dev, kAllow},
      {"LiteralStackDoesNotMatchAnother",
       one_role("      - allow: [read]\n        stacks: [acme/payments/dev]\n"), jane,
       Action::kRead, prod, kDeny},
      {"StarInMiddleSegment", one_role("      - allow: [read]\n        stacks: ['acme/*/dev']\n"),
       jane, Action::kRead, web, kAllow},
      {"StarInMiddleSegmentKeepsTheSuffix",
       one_role("      - allow: [read]\n        stacks: ['acme/*/dev']\n"), jane, Action::kRead,
       prod, kDeny},
      {"TrailingStarCrossesSlashes",
       one_role("      - allow: [read]\n        stacks: ['acme/*']\n"), jane, Action::kRead, prod,
       kAllow},
      {"LeadingStarMatchesAnyOrg", one_role("      - allow: [read]\n        stacks: ['*/dev']\n"),
       jane, Action::kRead, bare, kAllow},
      {"QuestionMarkIsOneCharacter",
       one_role("      - allow: [read]\n        stacks: ['acme/payments/de?']\n"), jane,
       Action::kRead, dev, kAllow},
      {"QuestionMarkMatchesTheLastCharacter",
       one_role("      - allow: [read]\n        stacks: ['acme/payments/pro?']\n"), jane,
       Action::kRead, prod, kAllow},
      {"QuestionMarkNeedsOneCharacter",
       one_role("      - allow: [read]\n        stacks: ['acme/payments/dev?']\n"), jane,
       Action::kRead, dev, kDeny},
      {"AnyGlobOfTheListMatches",
       one_role("      - allow: [read]\n        stacks: [acme/web/x, acme/payments/prod]\n"), jane,
       Action::kRead, prod, kAllow},
      {"OrgGlobDoesNotMatchOtherOrgs",
       one_role("      - allow: [read]\n        stacks: ['acme/*']\n"), jane, Action::kRead, bare,
       kDeny},
      {"PrefixOfOrgNameIsNotTheOrg", one_role("      - allow: [read]\n        stacks: ['acm/*']\n"),
       jane, Action::kRead, dev, kDeny},
      {"WildcardInsideOrgName",
       one_role("      - allow: [read]\n        stacks: ['ac*/payments/dev']\n"), jane,
       Action::kRead, dev, kAllow},
      // Stack conditions.
      {"TagConditionHolds",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { tag.env: dev }\n"),
       jane, Action::kRead, dev, kAllow},
      {"TagConditionFails",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { tag.env: dev }\n"),
       jane, Action::kRead, prod, kDeny},
      {"MissingTagMakesConditionFalse",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { tag.env: '*' }\n"),
       jane, Action::kRead, bare, kDeny},
      {"TagGlobValue",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { tag.env: 'pr*' }\n"),
       jane, Action::kRead, prod, kAllow},
      {"TagValueListAnyElement",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { tag.env: [staging, "
                "dev] }\n"),
       jane, Action::kRead, dev, kAllow},
      {"TagValueListNoElement",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { tag.env: [staging, "
                "qa] }\n"),
       jane, Action::kRead, dev, kDeny},
      {"AllConditionsMustHold",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { tag.env: dev, "
                "tag.team: web }\n"),
       jane, Action::kRead, dev, kDeny},
      {"OwnerCondition",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { owner: "
                "'group:default/payments' }\n"),
       jane, Action::kRead, prod, kAllow},
      {"OrgCondition",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { org: acme }\n"),
       jane, Action::kRead, web, kAllow},
      {"ProjectCondition",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { project: web }\n"),
       jane, Action::kRead, dev, kDeny},
      {"StackCondition",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { stack: dev }\n"),
       jane, Action::kRead, bare, kAllow},
      {"SystemCondition",
       one_role(
           "      - allow: [read]\n        stacks: ['*']\n        when: { system: billing }\n"),
       jane, Action::kRead, dev, kAllow},
      {"MissingSystemIsFalse",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { system: '*' }\n"),
       jane, Action::kRead, web, kDeny},
      {"LifecycleCondition",
       one_role("      - allow: [read]\n        stacks: ['*']\n        when: { lifecycle: "
                "production }\n"),
       jane, Action::kRead, prod, kAllow},
      // Templates.
      {"TeamTemplateMatches",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.team: "
                "'{principal.team}' }\n"),
       jane, Action::kUpdate, dev, kAllow},
      {"TeamTemplateDoesNotMatchOtherTeam",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.team: "
                "'{principal.team}' }\n"),
       jane, Action::kUpdate, web, kDeny},
      {"TemplateWithMissingAttributeIsFalse",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.team: "
                "'{principal.team}' }\n"),
       nobody, Action::kUpdate, dev, kDeny},
      {"TemplateOverListAttribute",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { owner: "
                "'{principal.ownership}' }\n"),
       jane, Action::kUpdate, prod, kAllow},
      {"TemplateOverListAttributeNoElement",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { owner: "
                "'{principal.ownership}' }\n"),
       jane, Action::kUpdate, web, kDeny},
      {"TemplateWithPrefix",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { owner: "
                "'group:default/{principal.team}' }\n"),
       jane, Action::kUpdate, prod, kAllow},
      {"TemplateOverClaimPath",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.site: "
                "'{principal.claim.https://example.com/site}' }\n"),
       jane, Action::kUpdate,
       [] {
         return stack("a/b/c", {{"site", "berlin"}});
       },
       kAllow},
      {"TemplateOverMissingClaimIsFalse",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.site: "
                "'{principal.claim.nope}' }\n"),
       jane, Action::kUpdate,
       [] {
         return stack("a/b/c", {{"site", "berlin"}});
       },
       kDeny},
      {"TemplateValueIsLiteralNotGlob",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.team: "
                "'{principal.team}' }\n"),
       [] {
         Principal p = jane();
         p.team = "*";
         return p;
       },
       Action::kUpdate, dev, kDeny},
      {"TemplateOrLiteralInValueList",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.team: "
                "['{principal.team}', web] }\n"),
       jane, Action::kUpdate, web, kAllow},
      {"TemplateOverSubject",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { owner: "
                "'{principal.subject}' }\n"),
       jane, Action::kUpdate, [] { return stack("a/b/c", {}, "user:default/jane"); }, kAllow},
      {"TemplateOverEmail",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.contact: "
                "'{principal.email}' }\n"),
       jane, Action::kUpdate,
       [] {
         return stack("a/b/c", {{"contact", "jane@example.com"}});
       },
       kAllow},
      {"TemplateOverGroupsListVersusTagValueList",
       one_role("      - allow: [update]\n        stacks: ['*']\n        when: { tag.group: "
                "['{principal.groups}', ops] }\n"),
       jane, Action::kUpdate,
       [] {
         return stack("a/b/c", {{"group", "payments-devs"}});
       },
       kAllow},
      // Deny, approvals.
      {"DenyBeatsAllowInSameRole",
       one_role(kAllowReadAll + "      - deny: [read]\n        stacks: ['acme/*/prod']\n"), jane,
       Action::kRead, prod, kDeny},
      {"DenyElsewhereDoesNotApply",
       one_role(kAllowReadAll + "      - deny: [read]\n        stacks: ['acme/*/prod']\n"), jane,
       Action::kRead, dev, kAllow},
      {"DenyInAnyRoleBeatsAllowInAnother",
       "roles:\n  - name: a\n    rules:\n" + kAllowReadAll +
           "  - name: d\n    rules:\n      - deny: [read]\n        stacks: ['*']\nbindings:\n  - "
           "roles: [a]\n  - roles: [d]\n    when: { team: payments }\n",
       jane, Action::kRead, dev, kDeny},
      {"DenyWithFalseConditionDoesNotApply",
       one_role(kAllowReadAll +
                "      - deny: [read]\n        stacks: ['*']\n        when: { tag.env: prod }\n"),
       jane, Action::kRead, dev, kAllow},
      {"DenyBeatsApproval",
       one_role("      - allow: [update]\n        stacks: ['*']\n        approval: { approvers: "
                "[r] }\n      - deny: [update]\n        stacks: ['*']\n"),
       jane, Action::kUpdate, prod, kDeny},
      {"ApprovalRuleGivesApprovalRequired",
       one_role("      - allow: [update]\n        stacks: ['*']\n        approval: { approvers: "
                "[r], count: 2 }\n"),
       jane, Action::kUpdate, prod, kApprovalRequired},
      {"PlainAllowBeatsApproval",
       one_role("      - allow: [update]\n        stacks: ['*']\n        approval: { approvers: "
                "[r] }\n      - allow: [update]\n        stacks: [acme/payments/dev]\n"),
       jane, Action::kUpdate, dev, kAllow},
      {"ApprovalElsewhereStillNeeded",
       one_role("      - allow: [update]\n        stacks: ['*']\n        approval: { approvers: "
                "[r] }\n      - allow: [update]\n        stacks: [acme/payments/dev]\n"),
       jane, Action::kUpdate, prod, kApprovalRequired},
      // Bindings.
      {"BindingByIssuer",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { issuer: corp-sso } }\n",
       jane, Action::kRead, dev, kAllow},
      {"BindingByOtherIssuerDoesNotApply",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { issuer: backstage } }\n",
       jane, Action::kRead, dev, kDeny},
      {"BindingByKindMachine",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { kind: machine } }\n",
       bot, Action::kRead, dev, kAllow},
      {"BindingByKindUserExcludesMachines",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { kind: user } }\n",
       bot, Action::kRead, dev, kDeny},
      {"BindingBySubjectGlob",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { subject: 'repo:acme/*:ref:refs/heads/main' } }\n",
       bot, Action::kRead, dev, kAllow},
      {"BindingBySubjectGlobMismatch",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { subject: 'repo:other/*' } }\n",
       bot, Action::kRead, dev, kDeny},
      {"BindingByClaimInList",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { claim.groups: engineering } }\n",
       jane, Action::kRead, dev, kAllow},
      {"BindingByClaimListVersusValueList",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { claim.groups: [ops, 'payments-*'] } }\n",
       jane, Action::kRead, dev, kAllow},
      {"BindingByNestedClaim",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { claim.realm.roles: deployer } }\n",
       jane, Action::kRead, dev, kAllow},
      {"BindingByBooleanClaim",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { claim.email_verified: 'true' } }\n",
       jane, Action::kRead, dev, kAllow},
      {"BindingByIntegerClaim",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { claim.level: '3' } }\n",
       jane, Action::kRead, dev, kAllow},
      {"BindingByMissingClaimDoesNotApply",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { claim.nope: '*' } }\n",
       jane, Action::kRead, dev, kDeny},
      {"BindingNeedsAllConditions",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { issuer: corp-sso, claim.groups: ops } }\n",
       jane, Action::kRead, dev, kDeny},
      {"BindingByGroupsAttribute",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { groups: payments-devs } }\n",
       jane, Action::kRead, dev, kAllow},
      {"BindingByTeamAttributeMissing",
       "roles:\n  - name: r\n    rules:\n" + kAllowReadAll +
           "bindings:\n  - { roles: [r], when: { team: '*' } }\n",
       nobody, Action::kRead, dev, kDeny},
      {"RolesAreUnionOfBindings",
       "roles:\n  - name: a\n    rules:\n" + kAllowReadAll +
           "  - name: u\n    rules:\n      - allow: [update]\n        stacks: ['*']\nbindings:\n  "
           "- { roles: [a], when: { issuer: nope } }\n  - { roles: [u], when: { kind: user } }\n",
       jane, Action::kUpdate, dev, kAllow},
      // Global actions.
      {"AuditIsGrantedOnStar", one_role("      - allow: [audit]\n        stacks: ['*']\n"), jane,
       Action::kAudit, dev, kAllow},
      {"AuditIsNotGrantedByStackActions", one_role(kAllowReadAll), jane, Action::kAudit, dev,
       kDeny},
      // Scope narrowing.
      {"ScopeNarrowsAllowToDeny", one_role(kAllowReadAll),
       [] {
         Principal p = jane();
         p.scope = *Scope::parse("stack:acme/web/*:read");
         return p;
       },
       Action::kRead, dev, kDeny},
      {"ScopeKeepsWhatItNames", one_role(kAllowReadAll),
       [] {
         Principal p = jane();
         p.scope = *Scope::parse("stack:acme/*:read");
         return p;
       },
       Action::kRead, dev, kAllow},
      {"ScopeCannotWiden", one_role(kAllowReadAll),
       [] {
         Principal p = jane();
         p.scope = *Scope::parse("stack:*:read,update,destroy");
         return p;
       },
       Action::kUpdate, dev, kDeny},
      {"ScopeNarrowsApprovalToDeny",
       one_role("      - allow: [update]\n        stacks: ['*']\n        approval: { approvers: "
                "[r] }\n"),
       [] {
         Principal p = jane();
         p.scope = *Scope::parse("stack:*:read");
         return p;
       },
       Action::kUpdate, prod, kDeny},
  };
}

class PolicyEval : public ::testing::TestWithParam<EvalCase> {};

TEST_P(PolicyEval, GivesTheDocumentedVerdict) {
  const EvalCase& c = GetParam();
  auto policy = compile(c.policy);
  ASSERT_NE(policy, nullptr);
  Principal who = c.who();
  Stack target = c.target();
  Decision d = evaluate(*policy, who, c.action, target);
  EXPECT_EQ(verdict_name(d.verdict), verdict_name(c.want));
  // The fast path agrees with the explained one.
  if (!is_global(c.action)) {
    EXPECT_EQ(verdict_name(verdict_of(*policy, who, roles_of(*policy, who), c.action, target)),
              verdict_name(c.want));
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, PolicyEval, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<EvalCase>& i) { return i.param.name; });

// Explanations.

TEST(PolicyExplain, NoRuleNamesTheRolesActionAndStack) {
  auto policy = compile("roles:\n  - name: reader\n    rules:\n" + kAllowReadAll +
                        "bindings:\n  - { roles: [reader] }\n");
  Decision d = evaluate(*policy, jane(), Action::kUpdate, prod());
  EXPECT_EQ(d.verdict, Verdict::kDeny);
  EXPECT_EQ(d.roles, std::vector<std::string>{"reader"});
  ASSERT_EQ(d.reasons.size(), 2U);
  EXPECT_EQ(d.reasons[0], "binding 1 (policy.yaml:7) gives [reader]");
  EXPECT_EQ(d.reasons[1], "no rule of roles [reader] allows update on acme/payments/prod");
}

TEST(PolicyExplain, NoRoleSaysDenyByDefault) {
  auto policy = compile("roles: []\n");
  Decision d = evaluate(*policy, jane(), Action::kRead, dev());
  EXPECT_TRUE(d.roles.empty());
  EXPECT_EQ(d.reasons, std::vector<std::string>{"no role: deny by default"});
}

TEST(PolicyExplain, DenyNamesTheRuleAndItsLine) {
  auto policy =
      compile(one_role(kAllowReadAll + "      - deny: [read]\n        stacks: ['acme/*/prod']\n"));
  Decision d = evaluate(*policy, jane(), Action::kRead, prod());
  ASSERT_EQ(d.reasons.size(), 2U);
  EXPECT_EQ(d.reasons[1], "role r, rule 2 (policy.yaml:6) denies read on acme/payments/prod");
}

TEST(PolicyExplain, AllowNamesEveryMatchingRule) {
  auto policy = compile(one_role(kAllowReadAll + kAllowReadAll));
  Decision d = evaluate(*policy, jane(), Action::kRead, prod());
  ASSERT_EQ(d.reasons.size(), 3U);
  EXPECT_EQ(d.reasons[1], "role r, rule 1 (policy.yaml:4) allows read on acme/payments/prod");
  EXPECT_EQ(d.reasons[2], "role r, rule 2 (policy.yaml:6) allows read on acme/payments/prod");
}

TEST(PolicyExplain, ApprovalNamesApproversAndCount) {
  auto policy = compile(
      "roles:\n  - name: dep\n    rules:\n      - allow: [update]\n        stacks: ['*']\n"
      "        approval: { approvers: [admin], count: 2 }\n  - name: admin\n    rules: []\n"
      "bindings:\n  - { roles: [dep] }\n");
  Decision d = evaluate(*policy, jane(), Action::kUpdate, prod());
  EXPECT_EQ(d.verdict, Verdict::kApprovalRequired);
  ASSERT_EQ(d.approvals.size(), 1U);
  EXPECT_EQ(d.approvals[0].approvers, std::vector<std::string>{"admin"});
  EXPECT_EQ(d.approvals[0].count, 2U);
  EXPECT_EQ(d.reasons.back(),
            "role dep, rule 1 (policy.yaml:4) allows update on acme/payments/prod with the "
            "approval of 2 holders of [admin]");
}

TEST(PolicyExplain, ScopeSaysWhatItLeftOut) {
  auto policy = compile(one_role(kAllowReadAll));
  Principal p = jane();
  p.scope = *Scope::parse("stack:acme/web/*:read");
  Decision d = evaluate(*policy, p, Action::kRead, dev());
  EXPECT_EQ(d.verdict, Verdict::kDeny);
  EXPECT_EQ(d.reasons.back(), "the token's scope does not include read on acme/payments/dev");
}

TEST(PolicyExplain, GlobalDecisionSpeaksOfAllStacks) {
  auto policy = compile(one_role(kAllowReadAll));
  Decision d = evaluate_global(*policy, jane(), Action::kAudit);
  EXPECT_EQ(d.verdict, Verdict::kDeny);
  EXPECT_EQ(d.reasons.back(), "no rule of roles [r] allows audit on all stacks");
}

TEST(PolicyPermissions, ListsAllowedAndApprovalActions) {
  auto policy = compile(one_role(
      "      - allow: [read, preview]\n        stacks: ['*']\n      - allow: [update]\n"
      "        stacks: ['*']\n        approval: { approvers: [r] }\n      - deny: [preview]\n"
      "        stacks: ['*/prod']\n"));
  Principal p = jane();
  Permissions perm = permissions_on(*policy, p, roles_of(*policy, p), prod());
  EXPECT_EQ(perm.allowed, ActionSet{Action::kRead});
  EXPECT_EQ(perm.with_approval, ActionSet{Action::kUpdate});
}

}  // namespace
}  // namespace sg::policy
