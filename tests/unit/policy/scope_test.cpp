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

namespace sg::policy {
namespace {

Glob g(std::string_view text) {
  return *Glob::compile(text);
}

TEST(GlobCovers, HoldsOnlyWhenEveryMatchOfTheNarrowerMatches) {
  EXPECT_TRUE(g("*").covers(g("acme/*")));
  EXPECT_TRUE(g("acme/*").covers(g("acme/web/*")));
  EXPECT_TRUE(g("acme/*").covers(g("acme/web/dev")));
  EXPECT_TRUE(g("acme/*/dev").covers(g("acme/web/dev")));
  EXPECT_TRUE(g("acme/*/dev").covers(g("acme/w*/dev")));
  EXPECT_TRUE(g("acme/web/de?").covers(g("acme/web/dev")));
  EXPECT_TRUE(g("acme/web/de?").covers(g("acme/web/d?v")) == false);
  EXPECT_TRUE(g("a?").covers(g("a?")));
  EXPECT_TRUE(g("acme/web/dev").covers(g("acme/web/dev")));
  EXPECT_FALSE(g("acme/web/*").covers(g("acme/*")));
  EXPECT_FALSE(g("acme/*/dev").covers(g("acme/*")));
  EXPECT_FALSE(g("acme/web/dev").covers(g("acme/web/de?")));
  EXPECT_FALSE(g("a?").covers(g("a*")));  // conservative: `*` may be longer than one character
  EXPECT_FALSE(g("acme/web/dev").covers(g("acme/web/prod")));
  EXPECT_FALSE(g("acme/*").covers(g("*")));
}

TEST(ScopeCovers, EveryActionOfEveryItemMustBeGrantedByACoveringItem) {
  Scope wide = *Scope::parse("stack:acme/*:read,preview stack:acme/web/*:update");
  EXPECT_TRUE(wide.covers(*Scope::parse("stack:acme/web/dev:read,update")));
  EXPECT_TRUE(wide.covers(*Scope::parse("stack:acme/pay/*:preview")));
  EXPECT_TRUE(wide.covers(*Scope::parse("")));
  EXPECT_FALSE(wide.covers(*Scope::parse("stack:acme/pay/dev:update")));
  EXPECT_FALSE(wide.covers(*Scope::parse("stack:*:read")));
  EXPECT_FALSE(wide.covers(*Scope::parse("stack:*:audit")));
  EXPECT_TRUE(Scope::parse("stack:*:audit")->covers(*Scope::parse("stack:*:audit")));
}

}  // namespace
}  // namespace sg::policy
