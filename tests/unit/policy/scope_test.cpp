#include "policy/scope.hpp"

#include <gtest/gtest.h>

namespace sg::policy {
namespace {

TEST(Scope, ParsesItemsAndPermitsOnlyWhatTheyName) {
  auto s = Scope::parse("stack:acme/payments/*:read,preview  stack:acme/web/dev:update");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->items().size(), 2U);
  EXPECT_TRUE(s->permits(Action::kRead, "acme/payments/prod"));
  EXPECT_TRUE(s->permits(Action::kPreview, "acme/payments/dev"));
  EXPECT_FALSE(s->permits(Action::kUpdate, "acme/payments/dev"));
  EXPECT_TRUE(s->permits(Action::kUpdate, "acme/web/dev"));
  EXPECT_FALSE(s->permits(Action::kRead, "acme/web/prod"));
  EXPECT_EQ(s->actions_on("acme/payments/x"), (ActionSet{Action::kRead, Action::kPreview}));
}

TEST(Scope, CanonicalTextListsActionsInOrder) {
  auto s = Scope::parse("stack:a/*:update,read stack:*:audit");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->to_string(), "stack:a/*:read,update stack:*:audit");
}

TEST(Scope, EmptyScopePermitsNothing) {
  auto s = Scope::parse("");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->permits(Action::kRead, "a/b/c"));
}

TEST(Scope, GlobalActionNeedsTheStarItem) {
  auto s = Scope::parse("stack:*:audit");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->permits(Action::kAudit, "*"));
  auto narrow = Scope::parse("stack:acme/*:audit");
  ASSERT_FALSE(narrow.ok());
  EXPECT_EQ(narrow.code(), Errc::kInvalidArgument);
  EXPECT_NE(narrow.error().message.find("stack:*:audit"), std::string::npos);
}

TEST(Scope, RejectsMalformedItems) {
  for (const char* bad :
       {"read", "stack:acme/*", "stack:acme/*:", "stack:acme/*:deploy", "stack::read",
        "stack:ac me:read", "stack:a/b/c:read,,update", "stacks:a/b/c:read"}) {
    auto s = Scope::parse(bad);
    EXPECT_EQ(s.code(), Errc::kInvalidArgument) << bad;
  }
}

TEST(Scope, NamesTheBadItemByPosition) {
  auto s = Scope::parse("stack:a/b/c:read stack:a/b/c:fly");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message.rfind("scope item 2:", 0), 0U) << s.error().message;
}

TEST(Scope, EnforcesItsBounds) {
  std::string many;
  for (std::size_t i = 0; i <= kMaxScopeItems; ++i)
    many += "stack:a/b/c:read ";
  EXPECT_EQ(Scope::parse(many).code(), Errc::kInvalidArgument);
  EXPECT_EQ(Scope::parse(std::string(kMaxScopeBytes + 1, ' ')).code(), Errc::kInvalidArgument);
}

}  // namespace
}  // namespace sg::policy
