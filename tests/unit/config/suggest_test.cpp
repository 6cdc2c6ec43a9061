// "Did you mean" suggestions: edit distance, case-insensitive matches and the distance limit.
#include <gtest/gtest.h>

#include <array>

#include "config/suggest.hpp"

namespace sg::config {
namespace {

constexpr std::array<std::string_view, 4> kKeys{"threads", "listen", "public_url", "access_log"};

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("thread", "threads"), 1u);
  EXPECT_EQ(edit_distance("lisetn", "listen"), 2u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Suggest, ClosestKeyWithinTwoEdits) {
  EXPECT_EQ(suggest("thread", kKeys), "threads");
  EXPECT_EQ(suggest("lisen", kKeys), "listen");
}

TEST(Suggest, CaseInsensitiveMatchWinsWhateverTheDistance) {
  EXPECT_EQ(suggest("PUBLIC_URL", kKeys), "public_url");
}

TEST(Suggest, NothingBeyondTwoEdits) {
  EXPECT_EQ(suggest("colour", kKeys), std::nullopt);
  EXPECT_EQ(did_you_mean("colour", kKeys), "");
}

TEST(Suggest, DidYouMeanFormatsTheSuggestion) {
  EXPECT_EQ(did_you_mean("thread", kKeys), "; did you mean 'threads'?");
}

}  // namespace
}  // namespace sg::config
