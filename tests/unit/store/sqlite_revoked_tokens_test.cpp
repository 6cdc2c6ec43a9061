// The SQLite store's public JWK column and revoked tokens (migration 3), and the upgrade of a
// version-2 database that already holds signing keys.
#include <gtest/gtest.h>

#include <span>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::RawDb;
using testing::TempDir;

class SqliteRevokedTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open({.path = dir_.file("stackgate.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteRevokedTokensTest, SigningKeysKeepTheirPublicJwk) {
  const SigningKeyRecord k{
      "k1", "tokens", "ES256", "SEALED", "2026-11-29T04:00:00.000Z", R"({"kty":"EC"})"};
  ASSERT_TRUE(store_->add_signing_key(k).ok());
  EXPECT_EQ(*store_->signing_keys("tokens"), (std::vector<SigningKeyRecord>{k}));
}

TEST_F(SqliteRevokedTokensTest, ListsOnlyEntriesNotYetExpiredInJtiOrder) {
  ASSERT_TRUE(store_->revoke_token("b", 200, "2026-11-29T04:00:00.000Z").ok());
  ASSERT_TRUE(store_->revoke_token("a", 300, "2026-11-29T04:00:01.000Z").ok());
  ASSERT_TRUE(store_->revoke_token("c", 100, "2026-11-29T04:00:02.000Z").ok());
  auto at_100 = store_->revoked_tokens(100);
  ASSERT_TRUE(at_100.ok());
  EXPECT_EQ(*at_100, (std::vector<RevokedToken>{{"a", 300, "2026-11-29T04:00:01.000Z"},
                                                {"b", 200, "2026-11-29T04:00:00.000Z"}}));
  EXPECT_EQ(store_->revoked_tokens(99)->size(), 3u);
  EXPECT_TRUE(store_->revoked_tokens(300)->empty());
}

TEST_F(SqliteRevokedTokensTest, RevokingTwiceKeepsFirstTimeAndLaterExpiry) {
  ASSERT_TRUE(store_->revoke_token("j", 500, "2026-11-29T04:00:00.000Z").ok());
  ASSERT_TRUE(store_->revoke_token("j", 400, "2026-11-29T05:00:00.000Z").ok());
  EXPECT_EQ(*store_->revoked_tokens(0),
            (std::vector<RevokedToken>{{"j", 500, "2026-11-29T04:00:00.000Z"}}));
  ASSERT_TRUE(store_->revoke_token("j", 600, "2026-11-29T06:00:00.000Z").ok());
  EXPECT_EQ(*store_->revoked_tokens(0),
            (std::vector<RevokedToken>{{"j", 600, "2026-11-29T04:00:00.000Z"}}));
}

TEST_F(SqliteRevokedTokensTest, PurgeDeletesExpiredEntriesOnly) {
  ASSERT_TRUE(store_->revoke_token("old", 100, "t").ok());
  ASSERT_TRUE(store_->revoke_token("edge", 150, "t").ok());
  ASSERT_TRUE(store_->revoke_token("new", 200, "t").ok());
  ASSERT_TRUE(store_->purge_revoked_tokens(150).ok());
  RawDb raw(dir_.file("stackgate.db"));
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM revoked_tokens"), 1);
  EXPECT_EQ(raw.text("SELECT jti FROM revoked_tokens"), "new");
}

TEST(SqliteMigration3, UpgradesAVersion2DatabaseKeepingItsKeys) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  const SigningKeyRecord old{
      "audit-1", "audit", "ES256", "-----BEGIN TEST PLACEHOLDER-----", "2026-11-29T04:00:00.000Z",
      ""};
  {
    auto v2 = SqliteStore::open({.path = path}, sqlite_migrations().first(2));
    ASSERT_TRUE(v2.ok()) << v2.error().message;
    EXPECT_EQ(*(*v2)->schema_version(), 2);
    RawDb raw(path);
    ASSERT_EQ(raw.exec("INSERT INTO signing_keys (kid, purpose, algorithm, private_pem, created_at)"
                       " VALUES ('audit-1', 'audit', 'ES256', '-----BEGIN TEST PLACEHOLDER-----',"
                       " '2026-11-29T04:00:00.000Z')"),
              SQLITE_OK);
  }
  auto v3 = SqliteStore::open({.path = path});
  ASSERT_TRUE(v3.ok()) << v3.error().message;
  EXPECT_GE(*(*v3)->schema_version(), 3);
  EXPECT_EQ(*(*v3)->signing_keys("audit"), (std::vector<SigningKeyRecord>{old}));
  EXPECT_TRUE((*v3)->signing_keys("audit")->front().public_jwk.empty());
  ASSERT_TRUE((*v3)->revoke_token("j", 10, "t").ok());
  EXPECT_EQ((*v3)->revoked_tokens(0)->size(), 1u);
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT description FROM schema_version WHERE version = 3"),
            "public signing keys and revoked tokens");
}

}  // namespace
}  // namespace sg::store
