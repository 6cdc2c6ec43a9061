// The SQLite store's audit rows and signing keys: append in one transaction, head, filtered reads,
// checkpoints, keys. What the rows mean is tested in tests/unit/audit.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::RawDb;
using testing::TempDir;

// Row `seq` at 2026-11-29T04:30:<seq>.5: actor a (odd) or b (even), stack s1 or s2 (seq % 3),
// decision allow or deny (seq % 4 == 0).
AuditRecord row(std::int64_t seq) {
  char time[32];
  std::snprintf(time, sizeof time, "2026-11-29T04:30:%02d.500Z", static_cast<int>(seq));
  return AuditRecord{seq,
                     time,
                     seq % 5 == 0 ? "policy.reloaded" : "authz.decision",
                     seq % 2 == 1 ? "user:a" : "user:b",
                     seq % 3 == 0 ? "acme/p/s1" : "acme/p/s2",
                     seq % 4 == 0 ? "deny" : "allow",
                     "{\"seq\":" + std::to_string(seq) + "}",
                     std::string(63, 'a') + static_cast<char>('a' + seq % 6)};
}

std::vector<AuditRecord> rows(std::int64_t from, std::int64_t to) {
  std::vector<AuditRecord> out;
  for (std::int64_t s = from; s <= to; ++s)
    out.push_back(row(s));
  return out;
}

std::vector<std::int64_t> seqs(const Result<std::vector<AuditRecord>>& r) {
  std::vector<std::int64_t> out;
  if (!r) return {-1};
  for (const AuditRecord& a : *r)
    out.push_back(a.seq);
  return out;
}

Time at(const char* rfc3339) {
  return parse_rfc3339(rfc3339).value();
}

class SqliteAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open({.path = path_, .busy_timeout = std::chrono::milliseconds(50)});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  // Appends rows 1..n in one batch.
  void fill(std::int64_t n) {
    const std::vector<AuditRecord> batch = rows(1, n);
    ASSERT_TRUE(store_->append_audit({}, batch).ok());
  }

  TempDir dir_;
  const std::string path_ = dir_.file("stackgate.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteAuditTest, EmptyLogHasHeadZero) {
  EXPECT_EQ(*store_->audit_head(), AuditHead{});
  EXPECT_TRUE(store_->read_audit({})->empty());
}

TEST_F(SqliteAuditTest, AppendsBatchesAndReadsThemBackExactly) {
  const std::vector<AuditRecord> first = rows(1, 3);
  ASSERT_TRUE(store_->append_audit({}, first).ok());
  const std::vector<AuditRecord> second = rows(4, 5);
  ASSERT_TRUE(store_->append_audit({3, row(3).hash}, second).ok());
  EXPECT_EQ(*store_->audit_head(), (AuditHead{5, row(5).hash}));
  EXPECT_EQ(*store_->read_audit({}), rows(1, 5));
  EXPECT_TRUE(store_->append_audit({5, row(5).hash}, {}).ok());  // an empty batch is nothing
}

TEST_F(SqliteAuditTest, KeepsAbsentColumnsNull) {
  AuditRecord r = row(1);
  r.actor_subject.reset();
  r.stack.reset();
  r.decision.reset();
  ASSERT_TRUE(store_->append_audit({}, std::vector<AuditRecord>{r}).ok());
  EXPECT_EQ(store_->read_audit({})->front(), r);
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM audit_events WHERE actor_subject IS NULL AND stack "
                        "IS NULL AND decision IS NULL"),
            1);
}

TEST_F(SqliteAuditTest, RefusesMisnumberedRecords) {
  const std::vector<AuditRecord> gap = {row(1), row(3)};
  Status s = store_->append_audit({}, gap);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kInvalidArgument);
  EXPECT_EQ(s.error().message, "append_audit: record 2 has seq 3, expected 2");
  EXPECT_EQ(store_->audit_head()->seq, 0);
}

TEST_F(SqliteAuditTest, RefusesABatchWhenTheHeadMoved) {
  fill(2);
  const std::vector<AuditRecord> stale = rows(1, 1);
  Status s = store_->append_audit({}, stale);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kConflict);
  EXPECT_EQ(s.error().message, "append_audit: the log's head is seq 2, not the expected 0");

  const std::vector<AuditRecord> next = rows(3, 3);
  s = store_->append_audit({2, std::string(64, 'f')}, next);  // right seq, wrong hash: a fork
  EXPECT_EQ(s.code(), Errc::kConflict);
  EXPECT_EQ(store_->audit_head()->seq, 2);
}

TEST_F(SqliteAuditTest, ABatchIsAllOrNothing) {
  fill(1);
  RawDb raw(path_);
  ASSERT_EQ(raw.exec("CREATE TRIGGER boom BEFORE INSERT ON audit_events WHEN NEW.seq = 4"
                     " BEGIN SELECT RAISE(ABORT, 'boom'); END"),
            SQLITE_OK);
  const std::vector<AuditRecord> batch = rows(2, 5);
  Status s = store_->append_audit({1, row(1).hash}, batch);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(store_->audit_head()->seq, 1);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM audit_events"), 1);
}

TEST_F(SqliteAuditTest, EventsAndCheckpointsAreAppendOnly) {
  fill(3);
  ASSERT_TRUE(store_->add_audit_checkpoint({3, row(3).hash, row(3).time, "k", "jws"}).ok());
  RawDb raw(path_);
  EXPECT_NE(raw.exec("UPDATE audit_events SET body = '{}' WHERE seq = 2"), SQLITE_OK);
  EXPECT_NE(raw.exec("DELETE FROM audit_events WHERE seq = 3"), SQLITE_OK);
  EXPECT_NE(raw.exec("UPDATE audit_checkpoints SET jws = 'x'"), SQLITE_OK);
  EXPECT_NE(raw.exec("DELETE FROM audit_checkpoints"), SQLITE_OK);
  EXPECT_EQ(*store_->read_audit({}), rows(1, 3));
  EXPECT_EQ(store_->read_audit_checkpoints(0, 10)->size(), 1u);
}

TEST_F(SqliteAuditTest, FiltersByEachColumnInSeqOrder) {
  fill(12);
  AuditQuery q;
  q.actor_subject = "user:a";
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{1, 3, 5, 7, 9, 11}));
  q = {};
  q.stack = "acme/p/s1";
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{3, 6, 9, 12}));
  q = {};
  q.type = "policy.reloaded";
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{5, 10}));
  q = {};
  q.decision = "deny";
  q.actor_subject = "user:b";
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{4, 8, 12}));
  q.stack = "acme/p/s1";
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{12}));
  q = {};
  q.actor_subject = "user:a'; DROP TABLE audit_events; --";
  EXPECT_EQ(seqs(store_->read_audit(q)), std::vector<std::int64_t>{});
  EXPECT_EQ(store_->audit_head()->seq, 12);
}

TEST_F(SqliteAuditTest, TimeBoundsAreInclusiveSinceAndExclusiveUntilAtMillisecondPrecision) {
  fill(6);  // times 04:30:01.500 … 04:30:06.500
  AuditQuery q;
  q.since = at("2026-11-29T04:30:02.500Z");
  q.until = at("2026-11-29T04:30:05.500Z");
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{2, 3, 4}));
  // A bound inside a millisecond rounds up: 02.500000001 excludes 02.500, and 05.500000001
  // includes 05.500.
  q.since = at("2026-11-29T04:30:02.500000001Z");
  q.until = at("2026-11-29T04:30:05.500000001Z");
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{3, 4, 5}));
  q = {};
  q.until = at("2026-11-29T06:30:02.000+02:00");
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{1}));
}

TEST_F(SqliteAuditTest, PagesWithACursorAndALimit) {
  fill(7);
  AuditQuery q;
  q.limit = 3;
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{1, 2, 3}));
  q.after_seq = 3;
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{4, 5, 6}));
  q.after_seq = 6;
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{7}));
  q.limit = 0;
  EXPECT_EQ(store_->read_audit(q).code(), Errc::kInvalidArgument);
  q.limit = kMaxAuditPage + 1;
  EXPECT_EQ(store_->read_audit(q).error().message, "read_audit: limit must be 1 to 10000");
}

TEST_F(SqliteAuditTest, KeepsOneCheckpointPerSeqInOrder) {
  for (std::int64_t seq : {8, 4, 12}) {
    ASSERT_TRUE(store_
                    ->add_audit_checkpoint(
                        {seq, row(seq).hash, row(seq).time, "kid-1", "jws-" + std::to_string(seq)})
                    .ok());
  }
  Status again = store_->add_audit_checkpoint({8, "h", "t", "kid-1", "other"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), Errc::kConflict);
  EXPECT_EQ(again.error().message, "add_audit_checkpoint: a checkpoint for seq 8 exists");
  auto all = store_->read_audit_checkpoints(0, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0], (AuditCheckpointRecord{4, row(4).hash, row(4).time, "kid-1", "jws-4"}));
  EXPECT_EQ((*all)[1].jws, "jws-8");
  EXPECT_EQ((*all)[2].seq, 12);
  auto after = store_->read_audit_checkpoints(4, 1);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().seq, 8);
  EXPECT_EQ(store_->read_audit_checkpoints(0, 0).code(), Errc::kInvalidArgument);
}

TEST_F(SqliteAuditTest, SigningKeysAreKeptPerPurposeNewestFirst) {
  const SigningKeyRecord k1{"k1", "audit", "ES256", "PEM-1", "2026-11-29T04:00:00.000Z", ""};
  const SigningKeyRecord k2{"k2", "audit", "EdDSA", "PEM-2", "2026-11-30T04:00:00.000Z", ""};
  const SigningKeyRecord t1{"t1", "tokens", "ES256", "PEM-3", "2026-12-01T04:00:00.000Z", ""};
  for (const auto& k : {k2, t1, k1})
    ASSERT_TRUE(store_->add_signing_key(k).ok());
  EXPECT_EQ(*store_->signing_keys("audit"), (std::vector<SigningKeyRecord>{k2, k1}));
  EXPECT_EQ(*store_->signing_keys("tokens"), (std::vector<SigningKeyRecord>{t1}));
  EXPECT_TRUE(store_->signing_keys("other")->empty());
  Status dup = store_->add_signing_key({"k1", "audit", "ES256", "SECRET-PEM", "x", ""});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.code(), Errc::kConflict);
  EXPECT_EQ(dup.error().message, "add_signing_key: the kid exists");
}

}  // namespace
}  // namespace sg::store
