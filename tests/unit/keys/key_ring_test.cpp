// KeyRing on a real SQLite store: first key, reuse, rotation and publication windows, sealing with
// the key-encryption key and its failures, algorithm changes, and rotation by another process.
#include "keys/key_ring.hpp"

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "jose/sign.hpp"
#include "jose/verify.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::keys {
namespace {

using namespace std::chrono_literals;
using store::testing::RawDb;
using store::testing::TempDir;

const Time kT0 = parse_rfc3339("2026-11-29T04:00:00Z").value();
constexpr const char* kKekA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kKekB = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

class KeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::open({.path = path()});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  std::string path() const { return dir_.file("stackgate.db"); }

  static KeyRingOptions options(std::optional<const char*> kek = std::nullopt,
                                jose::Algorithm alg = jose::Algorithm::kES256) {
    KeyRingOptions o;
    o.purpose = "tokens";
    o.algorithm = alg;
    o.publish_retired_for = 1h;
    if (kek) o.kek = KeyEncryptionKey::from_secret(*kek).value();
    return o;
  }

  std::unique_ptr<KeyRing> loaded(KeyRingOptions o) {
    auto ring = std::make_unique<KeyRing>(*store_, std::move(o));
    Status s = ring->load(kT0);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return ring;
  }

  std::size_t rows() { return store_->signing_keys("tokens")->size(); }

  TempDir dir_;
  std::unique_ptr<store::SqliteStore> store_;
};

TEST_F(KeyRingTest, FirstLoadCreatesOneKeyAndLaterLoadsReuseIt) {
  auto ring = loaded(options());
  const std::string kid = ring->current().kid();
  EXPECT_TRUE(kid.starts_with("tokens-"));
  EXPECT_EQ(kid.size(), 7u + 16u);
  EXPECT_EQ(ring->current().algorithm(), jose::Algorithm::kES256);
  EXPECT_EQ(ring->current_created_at(), kT0);
  EXPECT_EQ(rows(), 1u);

  auto again = loaded(options());
  EXPECT_EQ(again->current().kid(), kid);
  EXPECT_EQ(rows(), 1u);
  EXPECT_FALSE(again->sealed());
  EXPECT_EQ(again->unsealed_keys(), 0u);
}

TEST_F(KeyRingTest, StoresThePublicJwk) {
  auto ring = loaded(options());
  const auto row = store_->signing_keys("tokens")->front();
  EXPECT_EQ(row.public_jwk, boost::json::serialize(ring->current().public_jwk().value()));
  EXPECT_NE(row.private_pem.find("PRIVATE KEY"), std::string::npos);  // no KEK: plain PEM
}

TEST_F(KeyRingTest, RotationKeepsTheOldKeyPublishedForTheWindowOnly) {
  auto ring = loaded(options());
  const std::string old_kid = ring->current().kid();
  const Time rotated_at = kT0 + 24h;
  auto kid = ring->rotate(rotated_at);
  ASSERT_TRUE(kid.ok()) << kid.error().message;
  EXPECT_NE(*kid, old_kid);
  EXPECT_EQ(ring->current().kid(), *kid);
  EXPECT_EQ(ring->current_created_at(), rotated_at);

  jose::KeySet during = ring->verification_keys(rotated_at + 59min);
  EXPECT_EQ(during.size(), 2u);
  EXPECT_NE(during.find(old_kid), nullptr);
  EXPECT_NE(during.find(*kid), nullptr);
  EXPECT_EQ(ring->published_keys(rotated_at + 59min), 2u);

  jose::KeySet after = ring->verification_keys(rotated_at + 1h);
  EXPECT_EQ(after.size(), 1u);
  EXPECT_EQ(after.find(old_kid), nullptr);
  EXPECT_NE(after.find(*kid), nullptr);
  EXPECT_EQ(rows(), 2u);  // the row stays; it is only no longer published
}

TEST_F(KeyRingTest, ARotationWithASlowClockStillMakesTheNewestKey) {
  auto ring = loaded(options());
  auto same_ms = ring->rotate(kT0);
  ASSERT_TRUE(same_ms.ok());
  EXPECT_EQ(ring->current().kid(), *same_ms);
  EXPECT_EQ(ring->current_created_at(), kT0 + 1ms);
  auto behind = ring->rotate(kT0 - 1h);
  ASSERT_TRUE(behind.ok());
  EXPECT_EQ(ring->current().kid(), *behind);
  EXPECT_EQ(ring->current_created_at(), kT0 + 2ms);
}

TEST_F(KeyRingTest, ForeverKeepsEveryKeyPublished) {
  KeyRingOptions o = options();
  o.publish_retired_for = Duration::max();
  auto ring = loaded(std::move(o));
  ASSERT_TRUE(ring->rotate(kT0 + 1h).ok());
  ASSERT_TRUE(ring->rotate(kT0 + 2h).ok());
  EXPECT_EQ(ring->verification_keys(kT0 + 24h * 3650).size(), 3u);
}

TEST_F(KeyRingTest, PublicJwksIsNewestFirstWithoutPrivateMembers) {
  auto ring = loaded(options());
  ASSERT_TRUE(ring->rotate(kT0 + 1min).ok());
  boost::json::object jwks = ring->public_jwks(kT0 + 2min);
  const boost::json::array& keys = jwks.at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].at("kid").as_string(), ring->current().kid());
  for (const auto& k : keys) {
    EXPECT_FALSE(k.as_object().contains("d"));
    EXPECT_EQ(k.at("use"), "sig");
  }
  EXPECT_EQ(boost::json::serialize(jwks).find("\"d\""), std::string::npos);
}

TEST_F(KeyRingTest, RotateIfOlderThanRotatesOnlyWhenDue) {
  auto ring = loaded(options());
  EXPECT_EQ(*ring->rotate_if_older_than(24h, kT0 + 23h), false);
  EXPECT_EQ(rows(), 1u);
  EXPECT_EQ(*ring->rotate_if_older_than(24h, kT0 + 24h), true);
  EXPECT_EQ(rows(), 2u);
  EXPECT_EQ(ring->current_created_at(), kT0 + 24h);
}

TEST_F(KeyRingTest, SealedRowsHoldNoPemAndOpenWithTheKek) {
  auto ring = loaded(options(kKekA));
  EXPECT_TRUE(ring->sealed());
  ASSERT_TRUE(ring->rotate(kT0 + 1h).ok());
  RawDb raw(path());
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM signing_keys WHERE private_pem LIKE '%PRIVATE KEY%'"),
            0);
  const auto row = store_->signing_keys("tokens")->front();
  const KeyEncryptionKey kek = KeyEncryptionKey::from_secret(kKekA).value();
  auto pem = kek.open(row.private_pem, "tokens/" + row.kid + "/ES256");
  ASSERT_TRUE(pem.ok()) << pem.error().message;
  EXPECT_NE(pem->find("BEGIN PRIVATE KEY"), std::string::npos);

  auto again = loaded(options(kKekA));
  EXPECT_EQ(again->current().kid(), ring->current().kid());
  // The reloaded key signs what the published key verifies.
  auto token = jose::sign_jws({}, R"({"sub":"x"})", again->current());
  ASSERT_TRUE(token.ok()) << token.error().message;
  jose::VerifyOptions opts;
  opts.algorithms = {jose::Algorithm::kES256};
  auto verified = jose::verify_jws_signature(*token, ring->verification_keys(kT0 + 1h), opts);
  EXPECT_TRUE(verified.ok()) << verified.error().message;
}

TEST_F(KeyRingTest, SealedKeysWithoutAKekAreInvalidConfig) {
  loaded(options(kKekA));
  KeyRing ring(*store_, options());
  Status s = ring.load(kT0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_NE(s.error().message.find("tokens.key_encryption_key"), std::string::npos);
}

TEST_F(KeyRingTest, AnotherKekIsInvalidConfigNamingBothIds) {
  loaded(options(kKekA));
  KeyRing ring(*store_, options(kKekB));
  Status s = ring.load(kT0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  const std::string a = KeyEncryptionKey::from_secret(kKekA)->id();
  const std::string b = KeyEncryptionKey::from_secret(kKekB)->id();
  EXPECT_EQ(s.error().message, "keys were encrypted with key-encryption key " + a + ", not " + b);
}

TEST_F(KeyRingTest, ASealedValueMovedToAnotherRowIsRefused) {
  auto ring = loaded(options(kKekA));
  const std::string first = ring->current().kid();
  ASSERT_TRUE(ring->rotate(kT0 + 1h).ok());
  RawDb raw(path());
  const std::string sql =
      "UPDATE signing_keys SET private_pem = (SELECT private_pem FROM signing_keys WHERE kid = '" +
      first + "') WHERE kid <> '" + first + "'";
  ASSERT_EQ(raw.exec(sql.c_str()), SQLITE_OK);
  KeyRing again(*store_, options(kKekA));
  Status s = again.load(kT0 + 2h);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kInternal);
  EXPECT_NE(s.error().message.find("sealed key belongs to another row"), std::string::npos);
}

TEST_F(KeyRingTest, APlainKeyFromBeforeTheKekIsUsedAndReported) {
  auto plain = loaded(options());
  auto ring = loaded(options(kKekA));
  EXPECT_EQ(ring->current().kid(), plain->current().kid());
  EXPECT_EQ(ring->unsealed_keys(), 1u);
  ASSERT_TRUE(ring->rotate(kT0 + 1h).ok());
  EXPECT_EQ(ring->unsealed_keys(), 1u);  // the old row is still plain text on disk
  EXPECT_NE(ring->current().kid(), plain->current().kid());
}

TEST_F(KeyRingTest, RowsWithoutPublicJwkDeriveItFromThePem) {
  auto ring = loaded(options());
  const std::string kid = ring->current().kid();
  RawDb raw(path());
  ASSERT_EQ(raw.exec("UPDATE signing_keys SET public_jwk = ''"), SQLITE_OK);
  auto again = loaded(options());
  EXPECT_EQ(again->current().kid(), kid);
  EXPECT_NE(again->verification_keys(kT0).find(kid), nullptr);
}

TEST_F(KeyRingTest, EdDsaKeys) {
  auto ring = loaded(options(kKekA, jose::Algorithm::kEdDSA));
  EXPECT_EQ(ring->current().algorithm(), jose::Algorithm::kEdDSA);
  boost::json::object jwks = ring->public_jwks(kT0);
  EXPECT_EQ(jwks.at("keys").as_array()[0].at("crv"), "Ed25519");
  auto again = loaded(options(kKekA, jose::Algorithm::kEdDSA));
  EXPECT_EQ(again->current().kid(), ring->current().kid());
}

TEST_F(KeyRingTest, AChangedAlgorithmTakesEffectAtTheNextRotation) {
  loaded(options());
  auto ring = loaded(options(std::nullopt, jose::Algorithm::kEdDSA));
  EXPECT_EQ(ring->current().algorithm(), jose::Algorithm::kES256);
  ASSERT_TRUE(ring->rotate(kT0 + 1h).ok());
  EXPECT_EQ(ring->current().algorithm(), jose::Algorithm::kEdDSA);
}

TEST_F(KeyRingTest, OtherAlgorithmsAreInvalidConfig) {
  KeyRing ring(*store_, options(std::nullopt, jose::Algorithm::kRS256));
  EXPECT_EQ(ring.load(kT0).code(), Errc::kInvalidConfig);
}

TEST_F(KeyRingTest, RefreshPicksUpARotationByAnotherRing) {
  auto mine = loaded(options(kKekA));
  auto other_store = store::SqliteStore::open({.path = path()});
  ASSERT_TRUE(other_store.ok());
  KeyRing other(**other_store, options(kKekA));
  ASSERT_TRUE(other.load(kT0).ok());
  EXPECT_EQ(other.current().kid(), mine->current().kid());
  auto kid = other.rotate(kT0 + 1h);
  ASSERT_TRUE(kid.ok());
  EXPECT_NE(mine->current().kid(), *kid);
  ASSERT_TRUE(mine->refresh(kT0 + 1h).ok());
  EXPECT_EQ(mine->current().kid(), *kid);
  EXPECT_EQ(mine->verification_keys(kT0 + 1h).size(), 2u);
}

TEST_F(KeyRingTest, PurposesAreSeparate) {
  auto tokens = loaded(options());
  KeyRingOptions o = options();
  o.purpose = "audit";
  auto audit = loaded(std::move(o));
  EXPECT_TRUE(audit->current().kid().starts_with("audit-"));
  EXPECT_EQ(tokens->verification_keys(kT0).size(), 1u);
  EXPECT_EQ(audit->verification_keys(kT0).size(), 1u);
}

}  // namespace
}  // namespace sg::keys
