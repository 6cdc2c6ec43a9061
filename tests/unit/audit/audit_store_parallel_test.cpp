// AuditStore::verify reads and checks the stored log in pages on several threads: its report must
// be the one verifying the same rows event by event gives (verify_log), wherever the fault is —
// at a page boundary, in the first or the last page, in two pages at once — and a log that could
// not be read whole must be an error, never "ok".
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_store.hpp"
#include "audit/checkpoint_keys.hpp"
#include "audit_test_support.hpp"
#include "store/forwarding_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::audit {
namespace {

using store::testing::RawDb;
using store::testing::TempDir;
using test::kT0;

constexpr int kEvents = 40;
constexpr std::size_t kPage = 5;  // pages 1-5, 6-10, …, 36-40
constexpr int kCheckpointEvery = 10;

class ParallelVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::open({.path = path_});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    audit_ = std::make_unique<AuditStore>(*store_);
  }

  // Events 1..n, appended in batches of 7, and a checkpoint every 10 events.
  void fill(int n = kEvents) {
    events_ = test::sealed_chain(n);
    const std::span<const AuditEvent> all(events_);
    for (std::size_t at = 0; at < all.size(); at += 7)
      ASSERT_TRUE(audit_->append(all.subspan(at, std::min<std::size_t>(7, all.size() - at))).ok());
    auto key = load_or_create_checkpoint_key(*store_, kDefaultCheckpointAlgorithm, kT0);
    ASSERT_TRUE(key.ok()) << key.error().message;
    key_ = std::make_unique<jose::SigningKey>(std::move(*key));
    for (int seq = kCheckpointEvery; seq <= n; seq += kCheckpointEvery)
      add_checkpoint(seq, events_[seq - 1].hash);
  }

  void add_checkpoint(int seq, const std::string& hash) {
    auto c = sign_checkpoint(make_checkpoint({seq, hash}, kT0 + std::chrono::minutes(seq)), *key_);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(audit_->add_checkpoint(*c).ok());
  }

  // The log fill() made, untouched, in a new file: a copy of it kept in `pristine_` (appending
  // it again would cost a dozen fsyncs a case).
  void fresh() {
    close();
    if (!std::filesystem::exists(pristine_)) {
      remove_files();
      SetUp();
      fill();
      close();
      std::filesystem::copy_file(path_, pristine_);
    }
    remove_files();
    std::filesystem::copy_file(pristine_, path_);
    SetUp();
  }

  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_ + suffix);
  }

  // Closes the store, which moves what its WAL holds into the database file.
  void close() {
    audit_.reset();
    store_.reset();
  }

  jose::KeySet keys() { return checkpoint_verification_keys(*store_).value(); }

  // What verifying the stored rows one by one reports.
  VerifyReport reference() {
    std::vector<store::AuditRecord> rows;
    store::AuditQuery q;
    q.limit = store::kMaxAuditPage;
    for (;;) {
      auto page = store_->read_audit(q);
      EXPECT_TRUE(page.ok());
      if (!page || page->empty()) break;
      q.after_seq = page->back().seq;
      rows.insert(rows.end(), page->begin(), page->end());
    }
    auto checkpoints = store_->read_audit_checkpoints(0, store::kMaxAuditPage).value();
    return verify_log(rows, checkpoints, keys());
  }

  // AuditStore::verify in pages of `page` on `threads` threads; a report is expected.
  VerifyReport parallel(std::size_t page = kPage, unsigned threads = 3) {
    auto report = audit_->verify(keys(), page, threads);
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report ? *report : VerifyReport{};
  }

  void tamper(const std::string& sql) {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec("DROP TRIGGER IF EXISTS audit_events_no_update;"
                       "DROP TRIGGER IF EXISTS audit_events_no_delete;"
                       "DROP TRIGGER IF EXISTS audit_checkpoints_no_update;"
                       "DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;"),
              SQLITE_OK);
    ASSERT_EQ(raw.exec(sql.c_str()), SQLITE_OK) << sql;
  }

  TempDir dir_;
  const std::string path_ = dir_.file("stackgate.db");
  const std::string pristine_ = dir_.file("pristine.db");
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<AuditStore> audit_;
  std::unique_ptr<jose::SigningKey> key_;
  std::vector<AuditEvent> events_;
};

TEST_F(ParallelVerifyTest, AnIntactLogVerifiesWithAnyThreadsAndPages) {
  fill();
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    for (std::size_t page : {1u, 4u, 5u, 7u, 40u, 1000u}) {
      SCOPED_TRACE(std::to_string(threads) + " threads, page " + std::to_string(page));
      const VerifyReport r = parallel(page, threads);
      EXPECT_TRUE(r.ok()) << r.reason;
      EXPECT_EQ(r.events, kEvents);
      EXPECT_EQ(r.checkpoints, kEvents / kCheckpointEvery);
      EXPECT_EQ(r.signed_seq, kEvents);
      EXPECT_EQ(r.head, (ChainHead{kEvents, events_.back().hash}));
    }
  }
}

TEST_F(ParallelVerifyTest, ALogSmallerThanTheThreadsAndPagesVerifies) {
  fill(3);
  for (std::size_t page : {1u, 2u, 5u}) {
    const VerifyReport r = parallel(page, 8);
    EXPECT_TRUE(r.ok()) << r.reason;
    EXPECT_EQ(r.events, 3);
    EXPECT_EQ(r.checkpoints, 0);
  }
}

TEST_F(ParallelVerifyTest, AnEmptyLogVerifies) {
  const VerifyReport r = parallel(kPage, 4);
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events, 0);
  EXPECT_EQ(r.head, ChainHead{});
}

struct Tampering {
  std::string name;
  // SQL done to the file, given the seq it aims at.
  std::function<std::string(int)> sql;
};

std::string at(const char* format, int seq) {
  std::string out = format;
  for (std::size_t p; (p = out.find("$S")) != std::string::npos;)
    out.replace(p, 2, std::to_string(seq));
  for (std::size_t p; (p = out.find("$N")) != std::string::npos;)
    out.replace(p, 2, std::to_string(seq + 1));
  return out;
}

std::vector<Tampering> tamperings() {
  return {
      {"body edited",
       [](int s) {
         return at(
             "UPDATE audit_events SET body = replace(body, '\"type\":\"', '\"type\":\"x')"
             " WHERE seq = $S",
             s);
       }},
      {"column edited",
       [](int s) { return at("UPDATE audit_events SET type = 'run.created' WHERE seq = $S", s); }},
      {"hash column edited",
       [](int s) {
         return at("UPDATE audit_events SET hash = printf('%064d', 7) WHERE seq = $S", s);
       }},
      {"row deleted", [](int s) { return at("DELETE FROM audit_events WHERE seq = $S", s); }},
      {"rows swapped",
       [](int s) {
         return at(
             "UPDATE audit_events SET seq = 1000 WHERE seq = $S;"
             "UPDATE audit_events SET seq = $S WHERE seq = $N;"
             "UPDATE audit_events SET seq = $N WHERE seq = 1000",
             s);
       }},
      {"row replaced by the next",
       [](int s) {
         return at(
             "UPDATE audit_events SET (time, type, actor_subject, stack, decision, body, hash)"
             " = (SELECT time, type, actor_subject, stack, decision, body, hash"
             " FROM audit_events WHERE seq = $N) WHERE seq = $S",
             s);
       }},
      {"body not JSON",
       [](int s) { return at("UPDATE audit_events SET body = '{' WHERE seq = $S", s); }},
      {"whitespace added",
       [](int s) { return at("UPDATE audit_events SET body = ' ' || body WHERE seq = $S", s); }},
      {"checkpoint forged",
       [](int s) {
         return at(
             "UPDATE audit_checkpoints SET jws = substr(jws, 1, length(jws) - 4) ||"
             " (CASE WHEN substr(jws, -4, 1) = 'A' THEN 'B' ELSE 'A' END) ||"
             " substr(jws, -3) WHERE seq = $S",
             s);
       }},
      {"checkpoint moved",
       [](int s) { return at("UPDATE audit_checkpoints SET seq = $N WHERE seq = $S", s); }},
      {"tail removed", [](int s) { return at("DELETE FROM audit_events WHERE seq >= $S", s); }},
  };
}

// Where a fault goes: the first event, both sides of page boundaries, the last page.
constexpr int kPlaces[] = {1, 5, 6, 20, 21, 35, 36, 39, 40};

TEST_F(ParallelVerifyTest, EachTamperingAtAPageBoundaryOrEndIsReportedAsOneByOne) {
  for (const Tampering& t : tamperings()) {
    for (int seq : kPlaces) {
      if (t.name.starts_with("checkpoint")) continue;  // below
      if (t.name == "row replaced by the next" && seq == kEvents) continue;
      SCOPED_TRACE(t.name + " at " + std::to_string(seq));
      fresh();
      tamper(t.sql(seq));
      const VerifyReport want = reference();
      EXPECT_FALSE(want.ok()) << "the tampering left the log intact";
      for (unsigned threads : {1u, 3u})
        test::expect_same_report(parallel(kPage, threads), want);
    }
  }
}

TEST_F(ParallelVerifyTest, CheckpointFaultsAtPageBoundariesAreReportedAsOneByOne) {
  for (int seq : {10, 20, 40}) {
    for (const Tampering& t : tamperings()) {
      if (!t.name.starts_with("checkpoint")) continue;
      SCOPED_TRACE(t.name + " at " + std::to_string(seq));
      fresh();
      tamper(t.sql(seq));
      const VerifyReport want = reference();
      EXPECT_FALSE(want.ok());
      test::expect_same_report(parallel(kPage, 3), want);
    }
  }
  // A valid checkpoint that signs another event's hash.
  fresh();
  tamper("DELETE FROM audit_checkpoints WHERE seq = 20");
  add_checkpoint(20, events_[18].hash);
  const VerifyReport want = reference();
  EXPECT_EQ(want.fault, Fault::kCheckpointMismatch);
  test::expect_same_report(parallel(kPage, 3), want);
}

TEST_F(ParallelVerifyTest, OfTwoFaultsInDifferentPagesTheEarlierIsReported) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"UPDATE audit_events SET body = '{' WHERE seq = 33",
       "DELETE FROM audit_events WHERE seq = 12"},
      {"DELETE FROM audit_events WHERE seq = 6",
       "UPDATE audit_events SET type = 'x.y' WHERE seq = 40"},
      {"UPDATE audit_events SET hash = printf('%064d', 1) WHERE seq = 2",
       "UPDATE audit_events SET hash = printf('%064d', 1) WHERE seq = 38"},
  };
  for (const auto& [one, other] : pairs) {
    SCOPED_TRACE(one + " / " + other);
    fresh();
    tamper(one);
    tamper(other);
    const VerifyReport want = reference();
    EXPECT_FALSE(want.ok());
    // Pages of 1 on 8 threads: the later page is likely checked before the earlier one.
    for (std::size_t page : {std::size_t{1}, kPage})
      test::expect_same_report(parallel(page, 8), want);
  }
  EXPECT_EQ(parallel(1, 8).bad_seq, 2);
}

TEST_F(ParallelVerifyTest, GapsOfWholePagesAndFarAwaySeqsAreReportedAsOneByOne) {
  const std::vector<std::string> gaps = {
      "DELETE FROM audit_events WHERE seq BETWEEN 6 AND 10",
      "DELETE FROM audit_events WHERE seq BETWEEN 1 AND 12",
      "DELETE FROM audit_events WHERE seq BETWEEN 16 AND 39",
      // The last event moved as far as a seq goes: pages of 5 seqs up to it would never end.
      "UPDATE audit_events SET seq = 4611686018427387904 WHERE seq = 40",
      "UPDATE audit_events SET seq = 4611686018427387904 WHERE seq = 17",
      "UPDATE audit_events SET seq = 9223372036854775807 WHERE seq = 40",
  };
  for (const std::string& sql : gaps) {
    SCOPED_TRACE(sql);
    fresh();
    tamper(sql);
    const VerifyReport want = reference();
    EXPECT_EQ(want.fault, Fault::kMissing);
    for (unsigned threads : {1u, 3u})
      test::expect_same_report(parallel(kPage, threads), want);
  }
}

// A Store whose audit readers fail: at open, or on the read of the range holding `fail_at`, after
// handing over the rows before it.
class FailingReads final : public store::testing::ForwardingStore {
 public:
  FailingReads(store::Store& inner, std::int64_t fail_at)
      : ForwardingStore(inner), fail_at_(fail_at) {}

  Result<std::unique_ptr<store::AuditReader>> open_audit_reader() override {
    if (fail_at_ == 0) return make_error(Errc::kStoreUnavailable, "cannot open a reader");
    auto inner_reader = inner().open_audit_reader();
    if (!inner_reader) return inner_reader.error();
    return std::unique_ptr<store::AuditReader>(
        std::make_unique<Reader>(std::move(*inner_reader), fail_at_));
  }

 private:
  class Reader final : public store::AuditReader {
   public:
    Reader(std::unique_ptr<store::AuditReader> inner, std::int64_t fail_at)
        : inner_(std::move(inner)), fail_at_(fail_at) {}
    Status read(std::int64_t after, std::int64_t through,
                const std::function<void(const store::AuditRowView&)>& each) override {
      if (fail_at_ <= after || fail_at_ > through) return inner_->read(after, through, each);
      if (Status s = inner_->read(after, fail_at_ - 1, each); !s) return s;
      return make_error(Errc::kStoreUnavailable, "disk I/O error");
    }

   private:
    std::unique_ptr<store::AuditReader> inner_;
    std::int64_t fail_at_;
  };

  std::int64_t fail_at_;
};

TEST_F(ParallelVerifyTest, ALogThatCannotBeReadWholeIsAnErrorNeverOk) {
  fill();
  for (std::int64_t fail_at : {0, 1, 5, 6, 23, 40}) {
    for (unsigned threads : {1u, 3u}) {
      SCOPED_TRACE("fail at " + std::to_string(fail_at) + ", " + std::to_string(threads) +
                   " threads");
      FailingReads failing(*store_, fail_at);
      auto report = AuditStore(failing).verify(keys(), kPage, threads);
      ASSERT_FALSE(report.ok()) << "verified " << report->events << ": " << report->reason;
      EXPECT_EQ(report.code(), Errc::kStoreUnavailable);
    }
  }
}

TEST_F(ParallelVerifyTest, AFaultBeforeAnUnreadablePageIsStillReported) {
  fill();
  tamper("DELETE FROM audit_events WHERE seq = 12");
  FailingReads failing(*store_, 30);
  auto report = AuditStore(failing).verify(keys(), kPage, 3);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->fault, Fault::kMissing);
  EXPECT_EQ(report->bad_seq, 12);
}

}  // namespace
}  // namespace sg::audit
