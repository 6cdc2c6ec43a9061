// StatementCache: one prepared statement per SQL text, reset and unbound when a lease ends, and a
// bounded size.
#include "store/sqlite/statement_cache.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::TempDir;

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(dir_.file("cache.db").c_str(), &db_), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db_,
                           "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER NOT NULL);"
                           " INSERT INTO t VALUES (1), (2), (3);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  void TearDown() override { sqlite3_close_v2(db_); }

  // How many statements of the connection are part-way through a run (holding a read snapshot).
  int busy_statements() {
    int n = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db_, nullptr); s != nullptr;
         s = sqlite3_next_stmt(db_, s)) {
      if (sqlite3_stmt_busy(s) != 0) ++n;
    }
    return n;
  }

  TempDir dir_;
  sqlite3* db_ = nullptr;
};

TEST_F(StatementCacheTest, PreparesEachSqlTextOnce) {
  StatementCache cache(db_);
  const Statement* first = nullptr;
  {
    auto lease = cache.get("SELECT x FROM t ORDER BY x", "test");
    ASSERT_TRUE(lease.ok());
    first = &**lease;
  }
  auto again = cache.get("SELECT x FROM t ORDER BY x", "test");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(&**again, first);
  auto other = cache.get("SELECT count(*) FROM t", "test");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(&**other, first);
  EXPECT_EQ(cache.size(), 2u);
}

TEST_F(StatementCacheTest, AnEndedLeaseLeavesTheStatementResetAndUnbound) {
  StatementCache cache(db_);
  {
    auto lease = cache.get("SELECT ?1, x FROM t ORDER BY x", "test");
    ASSERT_TRUE(lease.ok());
    ASSERT_TRUE((*lease)->bind_int(1, 7).ok());
    ASSERT_TRUE(*(*lease)->step());  // one row of three: the statement is mid-run
    EXPECT_EQ((*lease)->column_int(0), 7);
    EXPECT_EQ(busy_statements(), 1);
  }
  EXPECT_EQ(busy_statements(), 0);  // no read snapshot held between calls
  auto lease = cache.get("SELECT ?1, x FROM t ORDER BY x", "test");
  ASSERT_TRUE(lease.ok());
  ASSERT_TRUE(*(*lease)->step());
  EXPECT_TRUE((*lease)->column_is_null(0));  // the binding is gone
  EXPECT_EQ((*lease)->column_int(1), 1);     // and the run starts over
}

TEST_F(StatementCacheTest, PastCapacityStatementsAreUsedOnceAndFinalized) {
  StatementCache cache(db_, 1);
  {
    auto kept = cache.get("SELECT count(*) FROM t", "test");
    ASSERT_TRUE(kept.ok());
  }
  {
    auto once = cache.get("SELECT max(x) FROM t", "test");
    ASSERT_TRUE(once.ok());
    ASSERT_TRUE(*(*once)->step());
    EXPECT_EQ((*once)->column_int(0), 3);
  }
  EXPECT_EQ(cache.size(), 1u);
  int statements = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_, nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_, s)) {
    ++statements;
  }
  EXPECT_EQ(statements, 1);
}

TEST_F(StatementCacheTest, ABadStatementIsAnErrorAndNotCached) {
  StatementCache cache(db_);
  auto bad = cache.get("SELECT nope FROM t", "test label");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(bad.error().message.rfind("test label", 0), 0u) << bad.error().message;
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace sg::store
