// The binding index (Policy::candidate_bindings, bindings_holding) may only narrow which bindings
// roles_of tests, never change the roles: over generated policies and principals, every binding
// whose conditions hold is a candidate, bindings_holding gives exactly those bindings, and roles_of
// exactly the roles of a test of every binding in turn.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "policy/evaluator.hpp"
#include "policy_test_support.hpp"

namespace sg::policy {
namespace {

// Conditions of every shape the index treats differently: literal (one value or a list), glob,
// several conditions (one indexed, the others tested), claims with non-string values, and none.
const std::vector<std::string> kWhen = {
    "",
    "when: { issuer: corp }",
    "when: { issuer: [corp, gha] }",
    "when: { claim.groups: eng }",
    "when: { claim.groups: [eng, ops] }",
    "when: { groups: ops, issuer: corp }",
    "when: { kind: machine, issuer: gha }",
    "when: { kind: user }",
    "when: { subject: 'user:*' }",
    "when: { claim.groups: 'e*', issuer: corp }",
    "when: { claim.level: '3' }",
    "when: { claim.admin: 'true' }",
    "when: { team: pay, claim.groups: eng }",
    "when: { ownership: 'group:default/pay' }",
};

std::vector<Principal> principals() {
  Principal a = testing::user("user:default/jane", "corp");
  a.team = "pay";
  a.groups = {"ops"};
  a.ownership = {"group:default/pay"};
  a.claims = {{"groups", boost::json::array{"eng", "ops"}}, {"level", 3}};
  Principal b = testing::user("ci-bot", "gha");
  b.kind = PrincipalKind::kMachine;
  b.claims = {{"admin", true}};
  Principal c = testing::user("user:default/sam", "backstage");
  c.team = "web";
  c.claims = {{"groups", "eng"}};
  Principal d = testing::user("user:default/kim", "corp");
  d.groups = {"eng"};
  return {a, b, c, d, Principal{}};
}

TEST(PolicyBindingIndex, RolesAreThoseOfTestingEveryBinding) {
  std::mt19937 rng(20261129);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  for (int i = 0; i < 200; ++i) {
    constexpr std::size_t kRoles = 6;
    std::ostringstream yaml;
    yaml << "roles:\n";
    for (std::size_t r = 0; r < kRoles; ++r)
      yaml << "  - name: r" << r << "\n    rules:\n      - allow: [read]\n        stacks: ['*']\n";
    yaml << "bindings:\n";
    std::size_t bindings = 1 + pick(8);
    for (std::size_t b = 0; b < bindings; ++b)
      yaml << "  - { roles: [r" << pick(kRoles) << "], " << kWhen[pick(kWhen.size())] << " }\n";
    auto policy = testing::compile(yaml.str());
    ASSERT_NE(policy, nullptr) << yaml.str();

    for (const Principal& p : principals()) {
      std::vector<std::size_t> candidates = policy->candidate_bindings(p);
      ASSERT_TRUE(std::ranges::is_sorted(candidates));
      ASSERT_EQ(std::ranges::adjacent_find(candidates), candidates.end());
      std::vector<std::size_t> holding, expected_roles;
      for (std::size_t b = 0; b < policy->bindings().size(); ++b) {
        const Binding& binding = policy->bindings()[b];
        bool holds = std::ranges::all_of(binding.when,
                                         [&](const PrincipalCondition& c) { return c.holds(p); });
        if (!holds) continue;
        ASSERT_TRUE(std::ranges::binary_search(candidates, b)) << "binding " << b << "\n"
                                                               << yaml.str();
        holding.push_back(b);
        expected_roles.insert(expected_roles.end(), binding.roles.begin(), binding.roles.end());
      }
      EXPECT_EQ(policy->bindings_holding(p), holding) << yaml.str();
      std::ranges::sort(expected_roles);
      expected_roles.erase(std::unique(expected_roles.begin(), expected_roles.end()),
                           expected_roles.end());
      EXPECT_EQ(roles_of(*policy, p).members(), expected_roles) << yaml.str();
    }
  }
}

TEST(PolicyBindingIndex, FilesEachBindingUnderItsRarestLiteralCondition) {
  auto policy = testing::compile(
      "roles:\n  - name: r\n    rules:\n      - allow: [read]\n        stacks: ['*']\n"
      "bindings:\n"
      "  - { roles: [r], when: { claim.groups: eng } }\n"
      "  - { roles: [r], when: { claim.groups: ops, issuer: corp } }\n"
      "  - { roles: [r], when: { issuer: backstage } }\n"
      "  - { roles: [r], when: { subject: 'user:*' } }\n"
      "  - { roles: [r], when: { issuer: corp } }\n");
  ASSERT_NE(policy, nullptr);
  // Binding 1 is filed under groups "ops" (one binding names it; two name issuer "corp"), binding
  // 3 has no literal condition and is always a candidate.
  Principal ops = testing::user("user:default/jane", "corp");
  ops.claims = {{"groups", boost::json::array{"ops"}}};
  EXPECT_EQ(policy->candidate_bindings(ops), (std::vector<std::size_t>{1, 3, 4}));
  Principal plain = testing::user("user:default/sam", "corp");
  EXPECT_EQ(policy->candidate_bindings(plain), (std::vector<std::size_t>{3, 4}));
}

}  // namespace
}  // namespace sg::policy
