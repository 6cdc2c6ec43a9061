// The SQLite store's audit rows and signing keys: append in one transaction, head, filtered reads,
// checkpoints, keys, unsynced appends and sync_audit. What the rows mean is tested in
// tests/unit/audit.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "store/sqlite/audit_buckets.hpp"
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

// Checkpoint of row `seq`, as the unsynced-write tests store it.
AuditCheckpointRecord checkpoint(std::int64_t seq) {
  return AuditCheckpointRecord{seq, row(seq).hash, row(seq).time, "kid-1",
                               "jws-" + std::to_string(seq)};
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

// Bucketed reads (migration 5, audit_buckets.hpp). 20,000 rows span buckets 0 to 4; the rare
// values sit in buckets 0, 1 (both sides of its start), 3 and 4, none in bucket 2.
constexpr std::int64_t kManyRows = 20'000;
const std::vector<std::int64_t> kRareSeqs = {5,      4095,   4096,   4097,   8191,
                                             12'288, 12'300, 16'384, 19'999, 20'000};

bool rare(std::int64_t seq) {
  return std::binary_search(kRareSeqs.begin(), kRareSeqs.end(), seq);
}

// Row `seq` of the many-row log: rare values on kRareSeqs (the actor on all, the stack on every
// other, the type and decision on every third), common ones elsewhere; one event a second.
AuditRecord many_row(std::int64_t seq) {
  const auto index = static_cast<std::size_t>(std::find(kRareSeqs.begin(), kRareSeqs.end(), seq) -
                                              kRareSeqs.begin());
  const bool r = rare(seq);
  AuditRecord out = row(seq);
  out.time = format_rfc3339(at("2026-11-29T00:00:00.000Z") + std::chrono::seconds(seq));
  out.actor_subject = r ? "user:rare" : (seq % 2 == 0 ? "user:b" : "user:a");
  out.stack = r && index % 2 == 0 ? "acme/rare/s" : "acme/p/s" + std::to_string(seq % 7);
  out.type = r && index % 3 == 0 ? "token.revoked" : "authz.decision";
  out.decision = r && index % 3 == 0 ? "deny" : "allow";
  if (seq % 11 == 0) out.decision.reset();
  return out;
}

// The rows of `all` the query selects, as the store must: filters, cursor, order, limit.
std::vector<std::int64_t> brute_force(const std::vector<AuditRecord>& all, const AuditQuery& q) {
  std::vector<std::int64_t> out;
  const std::string since = q.since ? format_rfc3339(*q.since) : "";
  const std::string until = q.until ? format_rfc3339(*q.until) : "";
  for (const AuditRecord& r : all) {
    if (out.size() == q.limit) break;
    if (r.seq <= q.after_seq) continue;
    if (q.since && r.time < since) continue;
    if (q.until && r.time >= until) continue;
    if (q.actor_subject && r.actor_subject != q.actor_subject) continue;
    if (q.stack && r.stack != q.stack) continue;
    if (q.type && r.type != q.type) continue;
    if (q.decision && r.decision != q.decision) continue;
    out.push_back(r.seq);
  }
  return out;
}

class SqliteAuditBucketsTest : public SqliteAuditTest {
 protected:
  void SetUp() override {
    SqliteAuditTest::SetUp();
    for (std::int64_t seq = 1; seq <= kManyRows; ++seq)
      all_.push_back(many_row(seq));
    ASSERT_TRUE(store_->append_audit({}, all_).ok());
  }

  std::vector<AuditRecord> all_;
};

TEST_F(SqliteAuditBucketsTest, EveryFilterCombinationMatchesABruteForceFilter) {
  const std::vector<std::int64_t> cursors = {0, 4, 4095, 4096, 8190, 8191, 12'287, 19'999, 20'000};
  const std::vector<std::size_t> limits = {1, 3, 100};
  int compared = 0;
  int nonempty = 0;
  for (int mask = 0; mask < 16; ++mask) {
    for (int time_mask = 0; time_mask < 4; ++time_mask) {
      for (std::int64_t cursor : cursors) {
        for (std::size_t limit : limits) {
          AuditQuery q;
          q.after_seq = cursor;
          q.limit = limit;
          if ((mask & 1) != 0) q.actor_subject = "user:rare";
          if ((mask & 2) != 0) q.stack = "acme/rare/s";
          if ((mask & 4) != 0) q.type = "token.revoked";
          if ((mask & 8) != 0) q.decision = "deny";
          // Inside bucket 0 and inside bucket 4, so both ends cut the walk.
          if ((time_mask & 1) != 0) q.since = at("2026-11-29T00:00:04.000Z");
          if ((time_mask & 2) != 0) q.until = at("2026-11-29T05:33:20.000Z");  // seq 20,000
          const std::vector<std::int64_t> expected = brute_force(all_, q);
          EXPECT_EQ(seqs(store_->read_audit(q)), expected)
              << "mask " << mask << " time " << time_mask << " after " << cursor << " limit "
              << limit;
          ++compared;
          if (!expected.empty()) ++nonempty;
        }
      }
    }
  }
  EXPECT_EQ(compared, 16 * 4 * 9 * 3);
  EXPECT_GT(nonempty, compared / 4);  // the comparisons are not mostly of empty answers
}

TEST_F(SqliteAuditBucketsTest, CommonValuesFillTheLimitFromTheFirstBucket) {
  AuditQuery q;
  q.actor_subject = "user:a";
  q.limit = 5000;  // buckets 0 (from 4001) to 3
  q.after_seq = 4000;
  const auto got = store_->read_audit(q);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(seqs(got), brute_force(all_, q));
  ASSERT_EQ(got->size(), 5000u);
  EXPECT_EQ(got->front(), all_[4000]);  // seq 4001, whole rows
}

TEST_F(SqliteAuditBucketsTest, CursorPagingAcrossBucketsReadsEachMatchOnce) {
  for (std::size_t page : {1, 2, 3, 7}) {
    AuditQuery q;
    q.actor_subject = "user:rare";
    q.limit = page;
    std::vector<std::int64_t> read;
    for (int pages = 0; pages < 20; ++pages) {
      const auto got = store_->read_audit(q);
      ASSERT_TRUE(got.ok());
      if (got->empty()) break;
      for (const AuditRecord& r : *got)
        read.push_back(r.seq);
      q.after_seq = got->back().seq;
    }
    EXPECT_EQ(read, kRareSeqs) << "page " << page;
  }
}

TEST_F(SqliteAuditBucketsTest, ValuesNobodyHasAndBoundsPastTheHeadReadNothing) {
  AuditQuery q;
  q.actor_subject = "user:nobody";
  EXPECT_EQ(seqs(store_->read_audit(q)), std::vector<std::int64_t>{});
  q.actor_subject = "user:rare";
  q.since = at("2026-11-30T00:00:00.000Z");  // after the last event
  EXPECT_EQ(seqs(store_->read_audit(q)), std::vector<std::int64_t>{});
  q.since.reset();
  q.until = at("2026-11-29T00:00:01.000Z");  // before the first
  EXPECT_EQ(seqs(store_->read_audit(q)), std::vector<std::int64_t>{});
  q.until.reset();
  q.after_seq = kManyRows;
  EXPECT_EQ(seqs(store_->read_audit(q)), std::vector<std::int64_t>{});
  q.after_seq = kManyRows + 100;
  EXPECT_EQ(seqs(store_->read_audit(q)), std::vector<std::int64_t>{});
  q.after_seq = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(seqs(store_->read_audit(q)), std::vector<std::int64_t>{});
}

TEST_F(SqliteAuditBucketsTest, ANegativeCursorReadsFromTheStartWithoutWalkingEmptyBuckets) {
  AuditQuery q;
  q.actor_subject = "user:rare";
  q.after_seq = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(seqs(store_->read_audit(q)), kRareSeqs);  // returns at once: buckets from 0
  q.after_seq = -1;
  q.limit = 2;
  EXPECT_EQ(seqs(store_->read_audit(q)), (std::vector<std::int64_t>{5, 4095}));
}

TEST_F(SqliteAuditBucketsTest, EachBucketQueryUsesABucketedIndex) {
  RawDb raw(path_);
  for (int mask = 1; mask < 64; ++mask) {
    AuditBucketFilters f;
    f.actor_subject = (mask & 1) != 0;
    f.stack = (mask & 2) != 0;
    f.type = (mask & 4) != 0;
    f.decision = (mask & 8) != 0;
    f.since = (mask & 16) != 0;
    f.until = (mask & 32) != 0;
    const std::string plan = raw.query_plan(audit_bucket_query(f));
    if (!f.any_column()) {
      // Only times: the time index, whose entries are in time order, so the rows are sorted.
      EXPECT_TRUE(
          plan.starts_with("SEARCH audit_events USING INDEX audit_events_time_bucket "
                           "(<expr>=? AND "))
          << "mask " << mask << ": " << plan;
      continue;
    }
    EXPECT_TRUE(plan.starts_with("SEARCH audit_events USING INDEX audit_events_") &&
                plan.find("_bucket (<expr>=? AND ") != std::string::npos &&
                plan.find(';') == std::string::npos)
        << "mask " << mask << ": " << plan;
  }
}

TEST(AuditBuckets, BucketQueryBindsInTheOrderItDocuments) {
  EXPECT_EQ(audit_bucket_query({.actor_subject = true}),
            "SELECT seq, time, type, actor_subject, stack, decision, body, hash FROM audit_events"
            " WHERE (seq >> 12) = ?1 AND seq > ?2 AND actor_subject = ?3 ORDER BY seq LIMIT ?4");
  EXPECT_EQ(audit_bucket_query(
                {.since = true, .until = true, .stack = true, .type = true, .decision = true}),
            "SELECT seq, time, type, actor_subject, stack, decision, body, hash FROM audit_events"
            " WHERE (seq >> 12) = ?1 AND seq > ?2 AND time >= ?3 AND time < ?4 AND stack = ?5"
            " AND type = ?6 AND decision = ?7 ORDER BY seq LIMIT ?8");
  EXPECT_EQ(audit_bucket(4095), 0);
  EXPECT_EQ(audit_bucket(4096), 1);
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

// Appends and checkpoints without an fsync of their own, and sync_audit: what they store, that
// they check what the durable ones check, and that once a sync has failed every later audit write
// and sync is refused (the WAL file removed under the store is a sync that fails for real).
TEST_F(SqliteAuditTest, UnsyncedAppendsAndCheckpointsAreStoredAndSynced) {
  ASSERT_TRUE(store_->append_audit_unsynced({}, rows(1, 3)).ok());
  ASSERT_TRUE(store_->add_audit_checkpoint_unsynced(checkpoint(3)).ok());
  EXPECT_EQ(*store_->audit_head(), (AuditHead{3, row(3).hash}));
  ASSERT_TRUE(store_->sync_audit().ok());

  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT group_concat(seq) FROM audit_events"), "1,2,3");
  EXPECT_EQ(raw.text("SELECT group_concat(seq || ':' || jws) FROM audit_checkpoints"), "3:jws-3");

  // Durable appends and checkpoints go on from there.
  ASSERT_TRUE(store_->append_audit({3, row(3).hash}, rows(4, 5)).ok());
  ASSERT_TRUE(store_->add_audit_checkpoint(checkpoint(5)).ok());
  EXPECT_EQ(raw.text("SELECT group_concat(seq) FROM audit_events"), "1,2,3,4,5");
  EXPECT_TRUE(store_->sync_audit().ok());
}

TEST_F(SqliteAuditTest, UnsyncedWritesCheckWhatDurableOnesCheck) {
  Status misnumbered = store_->append_audit_unsynced({}, rows(2, 3));
  ASSERT_FALSE(misnumbered.ok());
  EXPECT_EQ(misnumbered.code(), Errc::kInvalidArgument);
  EXPECT_EQ(misnumbered.error().message, "append_audit: record 1 has seq 2, expected 1");

  ASSERT_TRUE(store_->append_audit_unsynced({}, rows(1, 2)).ok());
  Status stale = store_->append_audit_unsynced({1, row(1).hash}, rows(2, 2));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.code(), Errc::kConflict);

  ASSERT_TRUE(store_->add_audit_checkpoint_unsynced(checkpoint(2)).ok());
  Status again = store_->add_audit_checkpoint_unsynced(checkpoint(2));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), Errc::kConflict);
  EXPECT_EQ(*store_->audit_head(), (AuditHead{2, row(2).hash}));
}

TEST_F(SqliteAuditTest, AfterAFailedSyncEveryAuditWriteAndSyncIsRefused) {
  ASSERT_TRUE(store_->append_audit_unsynced({}, rows(1, 2)).ok());
  ASSERT_TRUE(std::filesystem::remove(path_ + "-wal"));

  Status synced = store_->sync_audit();
  ASSERT_FALSE(synced.ok());
  EXPECT_EQ(synced.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(synced.error().message,
            "sqlite: the write-ahead log file was removed while the gateway used it; audit "
            "appends stop until the gateway restarts");

  const std::string refused =
      "sqlite: an earlier sync of the write-ahead log failed; audit appends stop until the "
      "gateway restarts";
  const AuditHead head{2, row(2).hash};
  for (const Status& s :
       {store_->append_audit(head, rows(3, 3)), store_->append_audit_unsynced(head, rows(3, 3)),
        store_->add_audit_checkpoint(checkpoint(2)),
        store_->add_audit_checkpoint_unsynced(checkpoint(2)), store_->sync_audit()}) {
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), Errc::kStoreUnavailable);
    EXPECT_EQ(s.error().message, refused);
  }
  // Reads go on.
  EXPECT_EQ(*store_->audit_head(), head);
}

}  // namespace
}  // namespace sg::store
