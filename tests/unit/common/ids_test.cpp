#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sg {
namespace {

TEST(Ids, NewIdIs32LowercaseHexCharacters) {
  std::string id = new_id();
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Ids, NewIdsDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i)
    EXPECT_TRUE(seen.insert(new_id()).second);
}

TEST(Ids, AcceptsSaneCallerRequestIds) {
  EXPECT_TRUE(is_acceptable_request_id("a"));
  EXPECT_TRUE(is_acceptable_request_id("req-42.abc_DEF:1/2+3="));
  EXPECT_TRUE(is_acceptable_request_id(std::string(128, 'x')));
}

TEST(Ids, RejectsRequestIdsThatCouldForgeLogLines) {
  EXPECT_FALSE(is_acceptable_request_id(""));
  EXPECT_FALSE(is_acceptable_request_id(std::string(129, 'x')));
  EXPECT_FALSE(is_acceptable_request_id("a b"));
  EXPECT_FALSE(is_acceptable_request_id("a\"b"));
  EXPECT_FALSE(is_acceptable_request_id("a\nb"));
  EXPECT_FALSE(is_acceptable_request_id("é"));
}

}  // namespace
}  // namespace sg
