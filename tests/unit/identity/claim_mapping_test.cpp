#include "identity/claim_mapping.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace sg::identity {
namespace {

boost::json::object obj(std::string_view json) {
  return boost::json::parse(json).as_object();
}

policy::Principal mapped(std::string_view json, const std::map<std::string, std::string>& m = {}) {
  policy::Principal p;
  auto s = map_claims(obj(json), m, p);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return p;
}

TEST(ClaimMapping, DefaultsReadSubEmailNameTeamAndGroups) {
  auto p = mapped(R"({"sub":"u1","email":"a@b.c","name":"Ann","team":"pay","groups":["x","y"]})");
  EXPECT_EQ(p.subject, "u1");
  EXPECT_EQ(p.email, "a@b.c");
  EXPECT_EQ(p.name, "Ann");
  EXPECT_EQ(p.team, "pay");
  EXPECT_EQ(p.groups, (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(p.ownership.empty());
}

TEST(ClaimMapping, FollowsNestedDottedPaths) {
  auto p = mapped(R"({"sub":"u","realm":{"access":{"roles":["admin"]}},"org":{"team":"infra"}})",
                  {{"groups", "realm.access.roles"}, {"team", "org.team"}});
  EXPECT_EQ(p.groups, (std::vector<std::string>{"admin"}));
  EXPECT_EQ(p.team, "infra");
}

TEST(ClaimMapping, TriesTheWholePathAsOneKeyFirst) {
  auto p =
      mapped(R"({"sub":"u","https://example.com/team":"web","https://example":{"com/team":"no"}})",
             {{"team", "https://example.com/team"}});
  EXPECT_EQ(p.team, "web");
}

TEST(ClaimMapping, FindsKeysThatThemselvesContainDots) {
  auto p = mapped(R"({"sub":"u","a.b":{"c":"deep"}})", {{"team", "a.b.c"}});
  EXPECT_EQ(p.team, "deep");
}

TEST(ClaimMapping, SingleStringGroupBecomesAList) {
  EXPECT_EQ(mapped(R"({"sub":"u","groups":"eng"})").groups, (std::vector<std::string>{"eng"}));
}

TEST(ClaimMapping, WrongTypesLeaveAttributesEmpty) {
  auto p = mapped(R"({"sub":"u","email":42,"name":{"x":1},"team":["a"],"groups":{"a":"b"}})");
  EXPECT_EQ(p.email, "");
  EXPECT_EQ(p.name, "");
  EXPECT_EQ(p.team, "");
  EXPECT_TRUE(p.groups.empty());
}

TEST(ClaimMapping, NonStringGroupElementsAreSkipped) {
  EXPECT_EQ(mapped(R"({"sub":"u","groups":["a",1,null,{"b":2},"c"]})").groups,
            (std::vector<std::string>{"a", "c"}));
}

TEST(ClaimMapping, MissingClaimsLeaveAttributesEmpty) {
  auto p = mapped(R"({"sub":"u"})", {{"groups", "realm.roles"}});
  EXPECT_EQ(p.email, "");
  EXPECT_TRUE(p.groups.empty());
}

TEST(ClaimMapping, SubjectCanBeMappedFromAnotherClaim) {
  EXPECT_EQ(
      mapped(R"({"sub":"123","preferred_username":"jane"})", {{"subject", "preferred_username"}})
          .subject,
      "jane");
}

TEST(ClaimMapping, OwnershipHasNoDefaultButCanBeMapped) {
  EXPECT_TRUE(mapped(R"({"sub":"u","ent":["group:default/a"]})").ownership.empty());
  EXPECT_EQ(mapped(R"({"sub":"u","ent":["group:default/a"]})", {{"ownership", "ent"}}).ownership,
            (std::vector<std::string>{"group:default/a"}));
}

TEST(ClaimMapping, MissingOrNonStringSubjectIsMalformed) {
  for (std::string_view json : {R"({})", R"({"sub":5})", R"({"sub":""})"}) {
    policy::Principal p;
    auto s = map_claims(obj(json), {}, p);
    ASSERT_FALSE(s.ok()) << json;
    EXPECT_EQ(s.code(), Errc::kMalformedToken);
    EXPECT_EQ(s.error().message, "token has no subject");
  }
}

TEST(ClaimMapping, GroupsAreBoundedInCountAndLength) {
  boost::json::array groups;
  for (int i = 0; i < 300; ++i)
    groups.emplace_back("g" + std::to_string(i));
  groups.emplace(groups.begin(), std::string(kMaxClaimValueBytes + 1, 'x'));
  boost::json::object claims{{"sub", "u"}, {"groups", groups}};
  policy::Principal p;
  ASSERT_TRUE(map_claims(claims, {}, p).ok());
  ASSERT_EQ(p.groups.size(), kMaxClaimListItems);
  EXPECT_EQ(p.groups.front(), "g0");  // the oversized value was skipped, not truncated
}

TEST(ClaimMapping, OversizedStringValueIsIgnored) {
  boost::json::object claims{{"sub", "u"}, {"email", std::string(kMaxClaimValueBytes + 1, 'e')}};
  policy::Principal p;
  ASSERT_TRUE(map_claims(claims, {}, p).ok());
  EXPECT_EQ(p.email, "");
}

TEST(ClaimMapping, OnlyKnownAttributesAreMappable) {
  EXPECT_TRUE(is_mappable_attribute("groups"));
  EXPECT_TRUE(is_mappable_attribute("ownership"));
  EXPECT_FALSE(is_mappable_attribute("roles"));
}

}  // namespace
}  // namespace sg::identity
