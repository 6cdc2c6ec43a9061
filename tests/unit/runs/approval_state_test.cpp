#include "runs/approval_state.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace sg::runs {
namespace {

ApprovalState two_admins_or_one_owner() {
  ApprovalState s;
  s.needs.push_back({{"platform-admin"}, 2, "rule A"});
  s.needs.push_back({{"owner", "lead"}, 1, "rule B"});
  return s;
}

TEST(ApprovalState, QualifyingRolesAreThoseSomeNeedAccepts) {
  ApprovalState s = two_admins_or_one_owner();
  EXPECT_EQ(s.qualifying_roles({"reader", "platform-admin", "lead"}),
            (std::vector<std::string>{"platform-admin", "lead"}));
  EXPECT_TRUE(s.qualifying_roles({"reader"}).empty());
}

TEST(ApprovalState, ANeedIsMetByDistinctHoldersOfItsRoles) {
  ApprovalState s = two_admins_or_one_owner();
  EXPECT_FALSE(s.satisfied());
  EXPECT_EQ(s.remaining(), 1U);
  s.approvals.push_back({"alice", "sso", {"platform-admin"}, "t"});
  EXPECT_FALSE(s.satisfied());
  EXPECT_EQ(s.remaining(), 1U);
  s.approvals.push_back({"bob", "sso", {"platform-admin"}, "t"});
  EXPECT_TRUE(s.satisfied());
  EXPECT_EQ(s.remaining(), 0U);
}

TEST(ApprovalState, OneApprovalOfAnotherNeedSuffices) {
  ApprovalState s = two_admins_or_one_owner();
  s.approvals.push_back({"carol", "sso", {"lead"}, "t"});
  EXPECT_TRUE(s.satisfied());
}

TEST(ApprovalState, RemembersWhoApproved) {
  ApprovalState s = two_admins_or_one_owner();
  s.approvals.push_back({"alice", "sso", {"platform-admin"}, "t"});
  EXPECT_TRUE(s.approved_by("alice", "sso"));
  EXPECT_FALSE(s.approved_by("alice", "backstage"));
}

TEST(ApprovalState, JsonRoundTrips) {
  ApprovalState s = two_admins_or_one_owner();
  s.approvals.push_back({"alice", "sso", {"platform-admin"}, "2026-11-29T10:00:00.000Z"});
  auto back = ApprovalState::from_json(boost::json::serialize(s.to_json()));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->needs.size(), 2U);
  EXPECT_EQ(back->needs[1].approvers, (std::vector<std::string>{"owner", "lead"}));
  EXPECT_EQ(back->needs[0].count, 2U);
  EXPECT_EQ(back->needs[0].rule, "rule A");
  EXPECT_EQ(back->approvals, s.approvals);
}

TEST(ApprovalState, RefusesMalformedJson) {
  for (const char* bad : {"", "[]", R"({"needs":[]})", R"({"needs":{},"approvals":[]})",
                          R"({"needs":[{"approvers":["a"],"count":0,"rule":""}],"approvals":[]})",
                          R"({"needs":[{"approvers":"a","count":1,"rule":""}],"approvals":[]})",
                          R"({"needs":[],"approvals":[{"subject":"a"}]})",
                          R"({"needs":[],"needs":[],"approvals":[]})"}) {
    auto r = ApprovalState::from_json(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace sg::runs
