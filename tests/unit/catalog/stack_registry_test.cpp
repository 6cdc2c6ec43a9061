#include "catalog/stack_registry.hpp"

#include <gtest/gtest.h>

namespace sg::catalog {
namespace {

config::ProjectConfig project(std::string org, std::string name,
                              std::vector<config::StackConfig> stacks) {
  config::ProjectConfig p;
  p.org = std::move(org);
  p.name = std::move(name);
  p.stacks = std::move(stacks);
  return p;
}

TEST(StackRegistry, BuildsStacksWithAttributesFromConfig) {
  config::StackConfig prod{
      "prod", {{"team", "payments"}}, "group:default/payments", "billing", "production"};
  config::StackConfig dev{"dev", {}, "", "", ""};
  auto stacks = stacks_from_config({project("acme", "payments", {prod, dev})});
  ASSERT_EQ(stacks.size(), 2U);
  EXPECT_EQ(stacks[0].ref, "acme/payments/prod");
  EXPECT_EQ(stacks[0].tags.at("team"), "payments");
  EXPECT_EQ(stacks[0].owner, "group:default/payments");
  EXPECT_EQ(stacks[0].system, "billing");
  EXPECT_EQ(stacks[0].lifecycle, "production");
  EXPECT_TRUE(stacks[1].tags.empty());
}

TEST(StackRegistry, SnapshotIsSortedAndFindsByReference) {
  StackRegistry registry(stacks_from_config(
      {project("b", "p", {{"s", {}, "", "", ""}}), project("a", "p", {{"s", {}, "", "", ""}})}));
  auto set = registry.snapshot();
  ASSERT_EQ(set->size(), 2U);
  EXPECT_EQ(set->all()[0].ref, "a/p/s");
  ASSERT_NE(set->find("b/p/s"), nullptr);
  EXPECT_EQ(set->find("b/p/s")->org, "b");
  EXPECT_EQ(set->find("c/p/s"), nullptr);
}

TEST(StackRegistry, ReplaceLeavesEarlierSnapshotsUntouched) {
  StackRegistry registry({policy::Stack::named("a", "p", "s")});
  auto before = registry.snapshot();
  registry.replace({policy::Stack::named("x", "y", "z")});
  EXPECT_NE(before->find("a/p/s"), nullptr);
  EXPECT_EQ(registry.snapshot()->find("a/p/s"), nullptr);
  EXPECT_NE(registry.snapshot()->find("x/y/z"), nullptr);
}

}  // namespace
}  // namespace sg::catalog
