// Property tests over generated policies: whatever the rules, deny always wins, a scope never
// widens, and a binding to a role without deny rules never takes a permission away. Each property
// runs over many policies drawn from a fixed seed, so a failure reproduces.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "policy/evaluator.hpp"
#include "policy_test_support.hpp"

namespace sg::policy {
namespace {

constexpr int kPolicies = 150;

const std::vector<std::string> kStackGlobs = {"*",          "acme/*",       "acme/*/prod",
                                              "acme/pay/*", "*/dev",        "acme/pay/dev",
                                              "other/*",    "acme/web/pr?d"};
const std::vector<std::string> kConditions = {"",
                                              "        when: { tag.team: '{principal.team}' }\n",
                                              "        when: { owner: '{principal.ownership}' }\n",
                                              "        when: { tag.env: [dev, staging] }\n",
                                              "        when: { lifecycle: production }\n",
                                              "        when: { tag.team: 'p*' }\n"};
const std::vector<std::string> kBindingWhen = {
    "", "    when: { issuer: corp }\n", "    when: { claim.groups: eng }\n",
    "    when: { kind: machine }\n", "    when: { subject: 'user:*' }\n"};

struct Generator {
  std::mt19937 rng;
  explicit Generator(unsigned seed) : rng(seed) {}

  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  }
  bool chance(int percent) { return std::uniform_int_distribution<int>(1, 100)(rng) <= percent; }

  std::string actions() {
    std::string out = "[";
    bool first = true;
    for (Action a : kAllActions) {
      if (is_global(a) || !chance(35)) continue;
      out += (first ? "" : ", ") + std::string(action_name(a));
      first = false;
    }
    return first ? "[read]" : out + "]";
  }

  std::string rule(bool allow_deny, int roles) {
    std::ostringstream r;
    bool deny = allow_deny && chance(20);
    r << "      - " << (deny ? "deny" : "allow") << ": " << actions() << "\n";
    r << "        stacks: ['" << pick(kStackGlobs) << "'";
    if (chance(30)) r << ", '" << pick(kStackGlobs) << "'";
    r << "]\n" << pick(kConditions);
    if (!deny && chance(20)) {
      r << "        approval: { approvers: [r"
        << std::uniform_int_distribution<int>(0, roles - 1)(rng) << "] }\n";
    }
    return r.str();
  }

  std::string roles(int n, bool allow_deny, const std::string& prefix = "r") {
    std::ostringstream out;
    for (int i = 0; i < n; ++i) {
      out << "  - name: " << prefix << i << "\n    rules:\n";
      int rules = std::uniform_int_distribution<int>(1, 4)(rng);
      for (int j = 0; j < rules; ++j)
        out << rule(allow_deny, n);
    }
    return out.str();
  }

  std::string bindings(int roles, int n) {
    std::ostringstream out;
    for (int i = 0; i < n; ++i) {
      out << "  - roles: [r" << std::uniform_int_distribution<int>(0, roles - 1)(rng) << "]\n"
          << pick(kBindingWhen);
    }
    return out.str();
  }
};

std::vector<Principal> principals() {
  Principal a = testing::user("user:default/jane", "corp");
  a.team = "pay";
  a.ownership = {"group:default/pay"};
  a.claims = {{"groups", boost::json::array{"eng"}}};
  Principal b = testing::user("ci-bot", "gha");
  b.kind = PrincipalKind::kMachine;
  Principal c = testing::user("user:default/sam", "backstage");
  c.team = "web";
  return {a, b, c};
}

std::vector<Stack> stacks() {
  return {testing::stack("acme/pay/dev", {{"team", "pay"}, {"env", "dev"}}, "group:default/pay"),
          testing::stack("acme/pay/prod", {{"team", "pay"}}, "group:default/pay", "", "production"),
          testing::stack("acme/web/prod", {{"team", "web"}}, "group:default/web"),
          testing::stack("other/x/dev", {{"env", "staging"}})};
}

const std::vector<Action> kStackActionList = {Action::kRead,    Action::kPreview, Action::kUpdate,
                                              Action::kRefresh, Action::kDestroy, Action::kCancel,
                                              Action::kApprove, Action::kAdmin};

TEST(PolicyProperty, DenyAlwaysWins) {
  Generator g(20261129);
  for (int i = 0; i < kPolicies; ++i) {
    int n = std::uniform_int_distribution<int>(1, 4)(g.rng);
    std::string base = g.roles(n, true);
    std::string binds = g.bindings(n, 3) + "  - roles: [denier]\n";
    for (const Stack& s : stacks()) {
      for (Action a : kStackActionList) {
        // The same policy plus a role every principal holds that denies `a` on exactly `s`.
        std::string yaml = "roles:\n" + base + "  - name: denier\n    rules:\n      - deny: [" +
                           std::string(action_name(a)) + "]\n        stacks: ['" + s.ref +
                           "']\nbindings:\n" + binds;
        auto policy = testing::compile(yaml);
        ASSERT_NE(policy, nullptr) << yaml;
        for (const Principal& p : principals()) {
          ASSERT_EQ(evaluate(*policy, p, a, s).verdict, Verdict::kDeny) << yaml;
        }
      }
    }
  }
}

TEST(PolicyProperty, ScopeNeverWidens) {
  Generator g(7);
  const std::vector<std::string> scopes = {"stack:*:read", "stack:acme/*:read,update",
                                           "stack:acme/pay/dev:update,destroy,approve",
                                           "stack:*/prod:preview stack:other/*:cancel,admin", ""};
  for (int i = 0; i < kPolicies; ++i) {
    int n = std::uniform_int_distribution<int>(1, 4)(g.rng);
    auto policy =
        testing::compile("roles:\n" + g.roles(n, true) + "bindings:\n" + g.bindings(n, 3));
    ASSERT_NE(policy, nullptr);
    for (Principal p : principals()) {
      for (const Stack& s : stacks()) {
        for (Action a : kStackActionList) {
          Verdict unscoped = evaluate(*policy, p, a, s).verdict;
          p.scope = *Scope::parse(g.pick(scopes));
          Verdict scoped = evaluate(*policy, p, a, s).verdict;
          if (scoped != Verdict::kDeny) {
            ASSERT_EQ(scoped, unscoped);
            ASSERT_TRUE(p.scope->permits(a, s.ref));
          }
          p.scope.reset();
        }
      }
    }
  }
}

TEST(PolicyProperty, BindingWithoutDenyRulesNeverRemovesAPermission) {
  Generator g(42);
  for (int i = 0; i < kPolicies; ++i) {
    int n = std::uniform_int_distribution<int>(1, 4)(g.rng);
    std::string roles = g.roles(n, true);
    std::string binds = g.bindings(n, 3);
    std::string extra_role = g.roles(1, false, "extra");
    std::string extra_binding = "  - roles: [extra0]\n" + g.pick(kBindingWhen);
    auto before = testing::compile("roles:\n" + roles + "bindings:\n" + binds);
    auto after =
        testing::compile("roles:\n" + roles + extra_role + "bindings:\n" + binds + extra_binding);
    ASSERT_NE(before, nullptr);
    ASSERT_NE(after, nullptr);
    for (const Principal& p : principals()) {
      for (const Stack& s : stacks()) {
        for (Action a : kStackActionList) {
          Verdict was = evaluate(*before, p, a, s).verdict;
          Verdict now = evaluate(*after, p, a, s).verdict;
          if (was == Verdict::kAllow) {
            ASSERT_EQ(now, Verdict::kAllow);
          } else if (was == Verdict::kApprovalRequired) {
            ASSERT_NE(now, Verdict::kDeny);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace sg::policy
