#include "identity/jwks_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "identity_test_support.hpp"

namespace sg::identity {
namespace {

using namespace std::chrono_literals;
using test::FakeFetcher;

const std::string kIssuer = "https://idp.example";
const std::string kDiscovery = "https://idp.example/.well-known/openid-configuration";
const std::string kJwks = "https://idp.example/jwks";

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest()
      : clock_(test::at(test::kNow)), a_(test::es256_key("A")), b_(test::es256_key("B")) {
    fetcher_.set(kJwks, test::jwks_of({&a_}));
  }

  std::unique_ptr<JwksCache> cache(JwksCacheOptions options = {}, std::string jwks_uri = kJwks) {
    return std::make_unique<JwksCache>("corp", JwksSource{kIssuer, std::move(jwks_uri)}, fetcher_,
                                       clock_, nullptr, options);
  }

  static bool has(const Result<JwksCache::Keys>& keys, const std::string& kid) {
    return keys.ok() && (*keys)->find(kid) != nullptr;
  }

  FakeFetcher fetcher_;
  ManualClock clock_;
  jose::SigningKey a_, b_;
};

TEST_F(JwksCacheTest, DiscoveryGivesTheJwksUri) {
  fetcher_.set(kDiscovery, test::discovery_of(kIssuer, kJwks));
  auto c = cache({}, "");
  EXPECT_TRUE(has(c->keys(), "A"));
  EXPECT_EQ(fetcher_.calls(kDiscovery), 1);
  EXPECT_EQ(fetcher_.calls(kJwks), 1);
}

TEST_F(JwksCacheTest, DiscoveryWithAnotherIssuerIsRefused) {
  fetcher_.set(kDiscovery, test::discovery_of("https://idp.example/", kJwks));
  auto keys = cache({}, "")->keys();
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(keys.error().message,
            "issuer corp: keys cannot be fetched: discovery document issuer does not match the "
            "configured issuer");
  EXPECT_EQ(fetcher_.calls(kJwks), 0);
}

TEST_F(JwksCacheTest, DiscoveryWithAPlainHttpJwksUriIsRefused) {
  fetcher_.set(kDiscovery, test::discovery_of(kIssuer, "http://idp.example/jwks"));
  auto keys = cache({}, "")->keys();
  EXPECT_EQ(keys.error().message,
            "issuer corp: keys cannot be fetched: discovery document has no usable jwks_uri");
}

TEST_F(JwksCacheTest, ConfiguredJwksUriSkipsDiscovery) {
  EXPECT_TRUE(has(cache()->keys(), "A"));
  EXPECT_EQ(fetcher_.calls(kDiscovery), 0);
  EXPECT_EQ(fetcher_.calls(kJwks), 1);
}

TEST_F(JwksCacheTest, KeysAreReusedUntilTheDefaultMaxAge) {
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  clock_.advance(10min - 1s);
  ASSERT_TRUE(c->keys().ok());
  EXPECT_EQ(fetcher_.calls(kJwks), 1);
  clock_.advance(2s);
  ASSERT_TRUE(c->keys().ok());
  EXPECT_EQ(fetcher_.calls(kJwks), 2);
}

TEST_F(JwksCacheTest, HonoursCacheControlMaxAge) {
  fetcher_.set(kJwks, test::jwks_of({&a_}), 200, 120s);
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  clock_.advance(119s);
  ASSERT_TRUE(c->keys().ok());
  EXPECT_EQ(fetcher_.calls(kJwks), 1);
  clock_.advance(2s);
  ASSERT_TRUE(c->keys().ok());
  EXPECT_EQ(fetcher_.calls(kJwks), 2);
}

TEST_F(JwksCacheTest, ShortMaxAgeIsClampedToOneMinute) {
  fetcher_.set(kJwks, test::jwks_of({&a_}), 200, 5s);
  JwksCacheOptions options;
  options.cooldown = 1s;
  auto c = cache(options);
  ASSERT_TRUE(c->keys().ok());
  clock_.advance(59s);
  ASSERT_TRUE(c->keys().ok());
  EXPECT_EQ(fetcher_.calls(kJwks), 1);
  clock_.advance(2s);
  ASSERT_TRUE(c->keys().ok());
  EXPECT_EQ(fetcher_.calls(kJwks), 2);
}

TEST_F(JwksCacheTest, LongMaxAgeIsClampedToOneDay) {
  fetcher_.set(kJwks, test::jwks_of({&a_}), 200, std::chrono::seconds(7 * 24 * 3600));
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  clock_.advance(24h - 1s);
  ASSERT_TRUE(c->keys().ok());
  EXPECT_EQ(fetcher_.calls(kJwks), 1);
  clock_.advance(2s);
  ASSERT_TRUE(c->keys().ok());
  EXPECT_EQ(fetcher_.calls(kJwks), 2);
}

TEST_F(JwksCacheTest, UnknownKidRefreshesOnceWithinCooldown) {
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  clock_.advance(31s);
  EXPECT_FALSE(has(c->keys_for("B"), "B"));
  EXPECT_EQ(fetcher_.calls(kJwks), 2);
  EXPECT_FALSE(has(c->keys_for("C"), "C"));  // within the cooldown: no fetch
  EXPECT_EQ(fetcher_.calls(kJwks), 2);
  clock_.advance(31s);
  EXPECT_FALSE(has(c->keys_for("C"), "C"));
  EXPECT_EQ(fetcher_.calls(kJwks), 3);
}

TEST_F(JwksCacheTest, KnownKidDoesNotRefresh) {
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  clock_.advance(31s);
  EXPECT_TRUE(has(c->keys_for("A"), "A"));
  EXPECT_EQ(fetcher_.calls(kJwks), 1);
}

TEST_F(JwksCacheTest, RotatedKeyIsPickedUpOnUnknownKid) {
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  fetcher_.set(kJwks, test::jwks_of({&a_, &b_}));
  clock_.advance(31s);
  EXPECT_TRUE(has(c->keys_for("B"), "B"));
}

TEST_F(JwksCacheTest, IssuerDownKeepsLastGoodKeysUntilMaxStale) {
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  fetcher_.fail(kJwks);
  clock_.advance(10min + 1s);
  EXPECT_TRUE(has(c->keys(), "A"));
  EXPECT_EQ(fetcher_.calls(kJwks), 2);
  EXPECT_TRUE(c->ready().ok());
  clock_.advance(1h - 2s);  // 1 s before the end of max_stale
  EXPECT_TRUE(has(c->keys(), "A"));
  clock_.advance(2s);
  auto keys = c->keys();
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(keys.error().message,
            "issuer corp: keys are stale and cannot be refreshed: "
            "https://idp.example/jwks: connection refused");
  EXPECT_EQ(c->ready().code(), Errc::kIssuerUnavailable);
}

TEST_F(JwksCacheTest, IssuerBackAfterOutageRestoresKeys) {
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  fetcher_.fail(kJwks);
  clock_.advance(2h);
  EXPECT_EQ(c->keys().code(), Errc::kIssuerUnavailable);
  fetcher_.set(kJwks, test::jwks_of({&b_}));
  clock_.advance(31s);
  EXPECT_TRUE(has(c->keys(), "B"));
}

TEST_F(JwksCacheTest, FailedFirstFetchIsRetriedOnlyAfterCooldown) {
  fetcher_.fail(kJwks);
  auto c = cache();
  EXPECT_EQ(c->keys().code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(c->keys().code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(fetcher_.calls(kJwks), 1);
  clock_.advance(31s);
  EXPECT_EQ(c->keys().code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(fetcher_.calls(kJwks), 2);
}

TEST_F(JwksCacheTest, ConcurrentUnknownKidsShareOneFetch) {
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  clock_.advance(31s);
  fetcher_.set(kJwks, test::jwks_of({&a_, &b_}));
  fetcher_.set_delay(200ms);
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (has(c->keys_for("B"), "B")) ++found;
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(fetcher_.calls(kJwks), 2);  // the priming fetch and exactly one refresh
  EXPECT_EQ(found.load(), 8);
}

TEST_F(JwksCacheTest, OversizedJwksIsRefused) {
  JwksCacheOptions options;
  options.fetch.max_bytes = 64;
  auto keys = cache(options)->keys();
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(keys.error().message,
            "issuer corp: keys cannot be fetched: JWKS from https://idp.example/jwks "
            "is too large");
}

TEST_F(JwksCacheTest, JwksWithTooManyKeysIsRefused) {
  fetcher_.set(kJwks, test::jwks_of({&a_, &b_}));
  JwksCacheOptions options;
  options.limits.max_keys = 1;
  auto keys = cache(options)->keys();
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.code(), Errc::kIssuerUnavailable);
  EXPECT_TRUE(keys.error().message.starts_with(
      "issuer corp: keys cannot be fetched: JWKS from https://idp.example/jwks "
      "refused: "))
      << keys.error().message;
}

TEST_F(JwksCacheTest, InvalidJwksIsRefusedAndLastGoodKept) {
  auto c = cache();
  ASSERT_TRUE(c->keys().ok());
  for (std::string body : {"not json", R"({"keys":[]})", R"({"keys":[{"kty":"RSA"}]})"}) {
    fetcher_.set(kJwks, body);
    clock_.advance(31s);
    EXPECT_TRUE(has(c->keys_for("B"), "A")) << body;
  }
  EXPECT_EQ(fetcher_.calls(kJwks), 4);
}

TEST_F(JwksCacheTest, NonOkStatusIsAnError) {
  fetcher_.set(kJwks, "oops", 503);
  auto keys = cache()->keys();
  EXPECT_EQ(keys.error().message,
            "issuer corp: keys cannot be fetched: JWKS request to "
            "https://idp.example/jwks answered HTTP 503");
}

TEST_F(JwksCacheTest, NotReadyUntilKeysAreFetched) {
  auto c = cache();
  EXPECT_EQ(c->ready().code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(fetcher_.total_calls(), 0);  // ready() never fetches
  EXPECT_TRUE(c->refresh_now().ok());
  EXPECT_TRUE(c->ready().ok());
}

TEST_F(JwksCacheTest, StaticKeysAreNeverFetched) {
  jose::KeySet set;
  ASSERT_TRUE(set.add(a_.verification_key().value()).ok());
  JwksCache c("air-gapped", std::move(set));
  EXPECT_TRUE(has(c.keys_for("B"), "A"));
  EXPECT_TRUE(c.ready().ok());
  EXPECT_EQ(fetcher_.total_calls(), 0);
}

}  // namespace
}  // namespace sg::identity
