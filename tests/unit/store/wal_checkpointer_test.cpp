// The SQLite store's WAL checkpoints: the checkpointer's thread copies the WAL into the database
// file once a commit leaves it at the threshold, the committing connection steps in at the limit,
// a reader's snapshot holds frames back until it ends, and nothing is copied below the threshold.
// "Copied" is checked on a copy of the database file alone, without its WAL: the events found
// there are the ones a checkpoint wrote into the file.
#include "store/sqlite/wal_checkpointer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::RawDb;
using testing::TempDir;

constexpr std::int64_t kBatch = 2000;  // about 100 pages of 16 KiB

AuditRecord row(std::int64_t seq) {
  return AuditRecord{
      seq,
      "2026-11-29T04:30:00.500Z",
      "authz.decision",
      std::string("user:default/developer-") + std::to_string(seq % 50),
      std::string("acme/service/prod"),
      std::string("allow"),
      "{\"seq\":" + std::to_string(seq) + ",\"pad\":\"" + std::string(700, 'x') + "\"}",
      std::string(64, 'a')};
}

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void open(WalCheckpointer::Options wal) {
    auto opened = SqliteStore::open({.path = path_, .wal = wal});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  // Appends kBatch events after the current head, in one transaction.
  void append_batch() {
    const AuditHead head = store_->audit_head().value();
    std::vector<AuditRecord> rows;
    for (std::int64_t s = head.seq + 1; s <= head.seq + kBatch; ++s)
      rows.push_back(row(s));
    Status appended = store_->append_audit(head, rows);
    ASSERT_TRUE(appended.ok()) << appended.error().message;
  }

  // The events in a copy of the database file taken without its WAL, or -1 when the copy has no
  // audit table yet (the migrations are still in the WAL too).
  std::int64_t events_in_file() {
    const std::string copy = dir_.file("copy-" + std::to_string(++copies_) + ".db");
    std::filesystem::copy_file(path_, copy);
    RawDb raw(copy);
    if (raw.text("SELECT count(*) FROM sqlite_schema WHERE name = 'audit_events'") != "1") {
      return -1;
    }
    return raw.integer("SELECT count(*) FROM audit_events");
  }

  TempDir dir_;
  const std::string path_ = dir_.file("stackgate.db");
  std::unique_ptr<SqliteStore> store_;
  int copies_ = 0;
};

TEST_F(WalCheckpointerTest, TheThreadCopiesTheWalOnceACommitReachesTheThreshold) {
  open({.threshold_pages = 8, .limit_pages = 1'000'000});
  append_batch();
  store_->wal_checkpointer().drain();
  const WalCheckpointer::Stats stats = store_->wal_checkpointer().stats();
  EXPECT_EQ(stats.checkpoints, 1u);
  EXPECT_EQ(stats.failures, 0u);
  EXPECT_GT(stats.wal_frames, 8);
  EXPECT_EQ(stats.copied_frames, stats.wal_frames);
  EXPECT_EQ(events_in_file(), kBatch);

  // The next commit starts the WAL again from its beginning.
  append_batch();
  store_->wal_checkpointer().drain();
  EXPECT_EQ(store_->wal_checkpointer().stats().checkpoints, 2u);
  EXPECT_EQ(events_in_file(), 2 * kBatch);
}

TEST_F(WalCheckpointerTest, BelowTheThresholdTheWalKeepsTheEvents) {
  open({.threshold_pages = 1'000'000, .limit_pages = 1'000'000});
  append_batch();
  store_->wal_checkpointer().drain();
  EXPECT_EQ(store_->wal_checkpointer().stats().checkpoints, 0u);
  // Not even the migrations have reached the file: the store's connection checkpoints only when
  // the last connection closes.
  EXPECT_EQ(events_in_file(), -1);
  EXPECT_EQ(store_->audit_head().value().seq, kBatch);
}

TEST_F(WalCheckpointerTest, AtTheLimitTheCommittingConnectionCheckpointsItself) {
  open({.threshold_pages = 1'000'000, .limit_pages = 8});
  append_batch();
  store_->wal_checkpointer().drain();
  EXPECT_EQ(store_->wal_checkpointer().stats().checkpoints, 0u);
  EXPECT_EQ(events_in_file(), kBatch);
}

TEST_F(WalCheckpointerTest, AReadersSnapshotHoldsFramesBackUntilItEnds) {
  open({.threshold_pages = 8, .limit_pages = 1'000'000});
  append_batch();
  store_->wal_checkpointer().drain();
  ASSERT_EQ(events_in_file(), kBatch);

  // A second batch while a reader holds a snapshot with the first one only.
  RawDb reader(path_);
  ASSERT_EQ(reader.exec("BEGIN"), SQLITE_OK);
  ASSERT_EQ(reader.integer("SELECT count(*) FROM audit_events"), kBatch);
  append_batch();
  store_->wal_checkpointer().drain();
  EXPECT_EQ(events_in_file(), kBatch);
  EXPECT_EQ(store_->wal_checkpointer().stats().failures, 0u);

  // Once the reader is done, the next commit's checkpoint copies everything.
  ASSERT_EQ(reader.exec("COMMIT"), SQLITE_OK);
  append_batch();
  store_->wal_checkpointer().drain();
  const WalCheckpointer::Stats stats = store_->wal_checkpointer().stats();
  EXPECT_EQ(stats.copied_frames, stats.wal_frames);
  EXPECT_EQ(events_in_file(), 3 * kBatch);
}

TEST_F(WalCheckpointerTest, StartFailsClearlyWithoutADatabase) {
  auto started =
      WalCheckpointer::start(dir_.file("missing/stackgate.db"), std::chrono::milliseconds(50), {});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, Errc::kStoreUnavailable);
  EXPECT_NE(started.error().message.find("missing/stackgate.db"), std::string::npos)
      << started.error().message;
}

}  // namespace
}  // namespace sg::store
