#include "policy/policy_holder.hpp"

#include <gtest/gtest.h>

#include "policy/evaluator.hpp"
#include "policy_test_support.hpp"

namespace sg::policy {
namespace {

const Time kStart = Time(std::chrono::seconds(1'800'000'000));

TEST(PolicyHolder, ReplaceSwapsThePolicyAndCountsGenerations) {
  auto first = testing::compile("roles: []\n");
  auto second = testing::compile(
      "roles:\n  - name: r\n    rules:\n      - allow: [read]\n        stacks: ['*']\n"
      "bindings:\n  - roles: [r]\n");
  PolicyHolder holder(first, true, kStart);
  auto held = holder.current();
  EXPECT_EQ(held, first);
  holder.replace(second, kStart + std::chrono::seconds(5));
  EXPECT_EQ(holder.current(), second);
  EXPECT_EQ(held, first);  // a request holding the old policy keeps it whole
  auto st = holder.status();
  EXPECT_EQ(st.generation, 2U);
  EXPECT_EQ(st.reloads, 1U);
  EXPECT_EQ(st.rules, 1U);
  EXPECT_EQ(st.loaded_at, kStart + std::chrono::seconds(5));
  EXPECT_FALSE(st.last_reload_failed);
}

TEST(PolicyHolder, FailureKeepsThePolicyAndIsRememberedUntilTheNextSuccess) {
  auto first = testing::compile("roles: []\n");
  PolicyHolder holder(first, true, kStart);
  holder.record_failure("policy.yaml:3:4: bad", kStart + std::chrono::seconds(1));
  EXPECT_EQ(holder.current(), first);
  auto st = holder.status();
  EXPECT_TRUE(st.last_reload_failed);
  EXPECT_EQ(st.last_error, "policy.yaml:3:4: bad");
  EXPECT_EQ(st.failures, 1U);
  EXPECT_EQ(st.generation, 1U);
  holder.replace(testing::compile("roles: []\n"), kStart + std::chrono::seconds(2));
  st = holder.status();
  EXPECT_FALSE(st.last_reload_failed);
  EXPECT_EQ(st.last_error, "");
  EXPECT_EQ(st.failures, 1U);
}

TEST(PolicyHolder, EmptyPolicyDeniesEverything) {
  PolicyHolder holder(empty_policy(), false, kStart);
  EXPECT_FALSE(holder.status().configured);
  Principal p = testing::user("u");
  EXPECT_EQ(evaluate(*holder.current(), p, Action::kRead, testing::stack("a/b/c")).verdict,
            Verdict::kDeny);
}

}  // namespace
}  // namespace sg::policy
