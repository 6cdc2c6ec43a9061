#include "identity/token_cache.hpp"

#include <gtest/gtest.h>

#include "identity/entity_ref.hpp"
#include "identity/token_hash.hpp"

namespace sg::identity {
namespace {

Time at(std::int64_t s) {
  return Time(std::chrono::seconds(s));
}

std::shared_ptr<const policy::Principal> who(std::string sub) {
  policy::Principal p;
  p.subject = std::move(sub);
  return std::make_shared<const policy::Principal>(std::move(p));
}

TEST(TokenCache, ReturnsWhatWasPutUntilExpiry) {
  TokenCache cache(10);
  cache.put(token_hash("tok"), who("alice"), at(200), at(100));
  auto hit = cache.get(token_hash("tok"), at(199));
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->subject, "alice");
  EXPECT_EQ(hit, cache.get(token_hash("tok"), at(150)));  // the same shared value, not a copy
  EXPECT_FALSE(cache.get(token_hash("tok"), at(200)));
  EXPECT_EQ(cache.size(), 0u);  // the expired entry was dropped
}

TEST(TokenCache, IgnoresAnAlreadyExpiredEntry) {
  TokenCache cache(10);
  cache.put(token_hash("tok"), who("alice"), at(100), at(100));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(TokenCache, InvalidateForgetsOneToken) {
  TokenCache cache(10);
  cache.put(token_hash("a"), who("alice"), at(200), at(100));
  cache.put(token_hash("b"), who("bob"), at(200), at(100));
  cache.invalidate("a");
  EXPECT_FALSE(cache.get(token_hash("a"), at(150)));
  EXPECT_TRUE(cache.get(token_hash("b"), at(150)));
  cache.clear();
  EXPECT_FALSE(cache.get(token_hash("b"), at(150)));
}

TEST(TokenCache, CapacityEvictsTheLeastRecentlyUsed) {
  TokenCache cache(2);
  cache.put(token_hash("a"), who("alice"), at(200), at(100));
  cache.put(token_hash("b"), who("bob"), at(200), at(100));
  ASSERT_TRUE(cache.get(token_hash("a"), at(100)));  // a is now more recent than b
  cache.put(token_hash("c"), who("carol"), at(200), at(100));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.get(token_hash("a"), at(100)));
  EXPECT_FALSE(cache.get(token_hash("b"), at(100)));
  EXPECT_TRUE(cache.get(token_hash("c"), at(100)));
}

TEST(TokenHash, IsSha256OfTheTokenBytes) {
  const TokenHash h = token_hash("abc");
  EXPECT_EQ(h[0], 0xba);
  EXPECT_EQ(h[1], 0x78);
  EXPECT_EQ(h[31], 0xad);
}

TEST(EntityRef, AcceptsUserRefsWithNamespaceAndName) {
  EXPECT_TRUE(is_user_entity_ref("user:default/jane.doe"));
  EXPECT_TRUE(is_user_entity_ref("User:development/guest"));
}

TEST(EntityRef, RefusesOtherKindsAndMalformedRefs) {
  for (std::string_view ref : {"group:default/team", "user:jane", "user:/jane", "user:default/",
                               "jane", "user:default/a/b", "user:def ault/jane", ""}) {
    EXPECT_FALSE(is_user_entity_ref(ref)) << ref;
  }
  EXPECT_FALSE(is_user_entity_ref("user:default/" + std::string(kMaxEntityRefBytes, 'a')));
}

}  // namespace
}  // namespace sg::identity
