#include "policy/glob.hpp"

#include <gtest/gtest.h>

namespace sg::policy {
namespace {

struct GlobCase {
  const char* pattern;
  const char* text;
  bool matches;
};

class GlobMatch : public ::testing::TestWithParam<GlobCase> {};

TEST_P(GlobMatch, MatchesExactlyAsDocumented) {
  const GlobCase& c = GetParam();
  auto g = Glob::compile(c.pattern);
  ASSERT_TRUE(g.ok()) << c.pattern;
  EXPECT_EQ(g->matches(c.text), c.matches) << c.pattern << " vs " << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Edges, GlobMatch,
    ::testing::Values(
        GlobCase{"*", "", true}, GlobCase{"*", "acme/payments/prod", true},
        GlobCase{"**", "a/b/c", true}, GlobCase{"acme/payments/prod", "acme/payments/prod", true},
        GlobCase{"acme/payments/prod", "acme/payments/prod2", false},
        GlobCase{"acme/payments/prod", "Acme/payments/prod", false},  // case matters
        GlobCase{"acme/*", "acme/payments/prod", true},               // '*' crosses '/'
        GlobCase{"acme/*", "acme/", true},                            // '*' may be empty
        GlobCase{"acme/*", "acme", false}, GlobCase{"*/prod", "acme/payments/prod", true},
        GlobCase{"*/prod", "acme/payments/production", false},
        GlobCase{"acme/*/prod", "acme/payments/prod", true},
        GlobCase{"acme/*/prod", "acme/a/b/prod", true}, GlobCase{"acme/*/prod", "acme/prod", false},
        GlobCase{"acme/?/prod", "acme/p/prod", true},
        GlobCase{"acme/?/prod", "acme/pp/prod", false},
        GlobCase{"acme/?/prod", "acme//prod", false},
        GlobCase{"a?c", "a/c", true},  // '?' is any one char
        GlobCase{"*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
        GlobCase{"*a*b*", "xxaxxbxx", true}, GlobCase{"*ab", "aab", true},
        GlobCase{"a*b*c", "abbbc", true}, GlobCase{"a*b*c", "acb", false},
        GlobCase{"[abc]", "[abc]", true},                                 // no character classes
        GlobCase{"[abc]", "a", false}, GlobCase{"{a,b}", "{a,b}", true},  // no braces
        GlobCase{"é*", "été", true}),
    [](const ::testing::TestParamInfo<GlobCase>& i) { return "Case" + std::to_string(i.index); });

TEST(GlobCompile, RejectsEmptyPattern) {
  auto g = Glob::compile("");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.code(), Errc::kInvalidArgument);
}

TEST(GlobCompile, RejectsControlCharacters) {
  EXPECT_EQ(Glob::compile("acme/\n").code(), Errc::kInvalidArgument);
  EXPECT_EQ(Glob::compile(std::string("a\0b", 3)).code(), Errc::kInvalidArgument);
}

TEST(GlobCompile, RejectsPatternsLongerThanTheBound) {
  EXPECT_TRUE(Glob::compile(std::string(kMaxGlobBytes, 'a')).ok());
  EXPECT_EQ(Glob::compile(std::string(kMaxGlobBytes + 1, 'a')).code(), Errc::kInvalidArgument);
}

TEST(GlobCompile, ReportsShapeAndLiteralPrefix) {
  auto literal = Glob::compile("acme/p/s");
  auto any = Glob::compile("***");
  auto general = Glob::compile("acme/*/s?");
  ASSERT_TRUE(literal.ok() && any.ok() && general.ok());
  EXPECT_TRUE(literal->is_literal());
  EXPECT_TRUE(any->matches_everything());
  EXPECT_FALSE(general->is_literal());
  EXPECT_EQ(literal->literal_prefix(), "acme/p/s");
  EXPECT_EQ(general->literal_prefix(), "acme/");
}

}  // namespace
}  // namespace sg::policy
