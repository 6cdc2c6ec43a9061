// The SQLite store's operations: ping, schema version, metadata, threads and lock contention.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::RawDb;
using testing::TempDir;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open({.path = path_, .busy_timeout = std::chrono::milliseconds(50)});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  TempDir dir_;
  const std::string path_ = dir_.file("stackgate.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, EngineIsSqlite) {
  EXPECT_EQ(store_->engine(), "sqlite");
}

TEST_F(SqliteStoreTest, PingSucceeds) {
  EXPECT_TRUE(store_->ping().ok());
}

TEST_F(SqliteStoreTest, SchemaVersionIsTheNewestMigration) {
  auto version = store_->schema_version();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, sqlite_migrations().back().version);
}

TEST_F(SqliteStoreTest, GetMetaOfMissingKeyIsNullopt) {
  auto value = store_->get_meta("no-such-key");
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, std::nullopt);
}

TEST_F(SqliteStoreTest, PutMetaThenGetMetaRoundTrips) {
  ASSERT_TRUE(store_->put_meta("color", "blue").ok());
  auto value = store_->get_meta("color");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, std::optional<std::string>("blue"));
}

TEST_F(SqliteStoreTest, PutMetaOverwritesTheValue) {
  ASSERT_TRUE(store_->put_meta("color", "blue").ok());
  ASSERT_TRUE(store_->put_meta("color", "green").ok());
  EXPECT_EQ(*store_->get_meta("color"), std::optional<std::string>("green"));
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM meta WHERE key = 'color'"), 1);
}

TEST_F(SqliteStoreTest, EmptyValueIsStoredAsEmptyNotMissing) {
  ASSERT_TRUE(store_->put_meta("empty", "").ok());
  EXPECT_EQ(*store_->get_meta("empty"), std::optional<std::string>(""));
}

TEST_F(SqliteStoreTest, ValuesAreBoundNotSpliced) {
  const std::string tricky = "x'); DROP TABLE meta; --\n\"quoted\" \xC3\xA9";
  ASSERT_TRUE(store_->put_meta(tricky, tricky).ok());
  EXPECT_EQ(*store_->get_meta(tricky), std::optional<std::string>(tricky));
  EXPECT_TRUE(store_->get_meta("instance_id")->has_value());
}

TEST_F(SqliteStoreTest, MetaSurvivesReopening) {
  ASSERT_TRUE(store_->put_meta("color", "blue").ok());
  store_.reset();
  auto reopened = SqliteStore::open({.path = path_});
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(*(*reopened)->get_meta("color"), std::optional<std::string>("blue"));
}

TEST_F(SqliteStoreTest, ConcurrentPutAndGetFromEightThreadsStayConsistent) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 50;
  std::array<int, kThreads> failures{};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const std::string own = "thread-" + std::to_string(t);
        for (int i = 0; i < kRounds; ++i) {
          const std::string value = std::to_string(i);
          if (!store_->put_meta(own, value).ok()) ++failures[static_cast<std::size_t>(t)];
          auto read = store_->get_meta(own);
          if (!read.ok() || *read != std::optional<std::string>(value)) {
            ++failures[static_cast<std::size_t>(t)];
          }
          if (!store_->put_meta("shared", own).ok()) ++failures[static_cast<std::size_t>(t)];
          auto shared = store_->get_meta("shared");
          if (!shared.ok() || !shared->has_value() || shared->value().rfind("thread-", 0) != 0) {
            ++failures[static_cast<std::size_t>(t)];
          }
        }
      });
    }
  }
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(failures[static_cast<std::size_t>(t)], 0) << t;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(*store_->get_meta("thread-" + std::to_string(t)),
              std::optional<std::string>(std::to_string(kRounds - 1)));
  }
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM meta WHERE key LIKE 'thread-%'"), kThreads);
}

TEST_F(SqliteStoreTest, PutMetaFailsAfterBusyTimeoutWhileAnotherConnectionHoldsTheWriteLock) {
  RawDb other(path_);
  ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK);

  Status put = store_->put_meta("color", "blue");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(put.error().message, "put_meta: database is locked");
  // Readers are not blocked by a writer in WAL mode.
  EXPECT_TRUE(store_->ping().ok());
  EXPECT_EQ(*store_->get_meta("color"), std::nullopt);

  ASSERT_EQ(other.exec("ROLLBACK"), SQLITE_OK);
  EXPECT_TRUE(store_->put_meta("color", "blue").ok());
}

TEST_F(SqliteStoreTest, PingReportsABrokenDatabaseAsStoreUnavailable) {
  RawDb other(path_);
  ASSERT_EQ(other.exec("DROP TABLE schema_version"), SQLITE_OK);
  Status ping = store_->ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(ping.error().message, "ping: no such table: schema_version (SQL logic error)");
}

TEST_F(SqliteStoreTest, MetaOperationsReportABrokenDatabaseAsStoreUnavailable) {
  RawDb other(path_);
  ASSERT_EQ(other.exec("DROP TABLE meta"), SQLITE_OK);
  auto value = store_->get_meta("color");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(value.error().message, "get_meta: no such table: meta (SQL logic error)");
  Status put = store_->put_meta("color", "blue");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(put.error().message, "put_meta: no such table: meta (SQL logic error)");
}

}  // namespace
}  // namespace sg::store
