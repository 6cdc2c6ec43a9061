// The audit writer against a real SQLite file: events become durable in order, many per
// transaction, completions tell the truth, a failing store fails closed (or is retried when
// fail_closed is off), the queue is bounded, checkpoints come every N events and every T, and the
// stored chain always verifies.
#include "audit/writer.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "audit/checkpoint_keys.hpp"
#include "audit_test_support.hpp"
#include "keys/key_ring.hpp"
#include "store/forwarding_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::audit {
namespace {

using store::testing::TempDir;
using test::kT0;

// A Store that delegates to a real one, but whose appends can be made to fail or to wait at a
// gate (so a test can let events pile up behind a commit in progress).
class ControlledStore final : public store::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  void fail_appends(bool fail) { fail_.store(fail); }
  // The next append (only) fails, as fail_appends would make it.
  void fail_next_append() { fail_next_.store(true); }
  // Lets exactly one append held at the closed gate through; the gate stays closed.
  void release_one() {
    {
      std::lock_guard lock(mu_);
      ++passes_;
    }
    cv_.notify_all();
  }
  void close_gate() {
    std::lock_guard lock(mu_);
    gate_open_ = false;
  }
  void open_gate() {
    {
      std::lock_guard lock(mu_);
      gate_open_ = true;
    }
    cv_.notify_all();
  }
  // Waits until an append is held at the closed gate.
  void wait_for_held_append() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return held_ > 0; });
  }
  int appends() const { return appends_.load(); }
  // The next sync fails (the batches it covers are answered with its error).
  void fail_next_sync() { fail_next_sync_.store(true); }
  int syncs() const { return syncs_.load(); }
  // Checkpoints stored durable at once, and to be synced with the next sync.
  int durable_checkpoints() const { return durable_checkpoints_.load(); }
  int unsynced_checkpoints() const { return unsynced_checkpoints_.load(); }

  Status sync_audit() override {
    syncs_.fetch_add(1);
    if (fail_next_sync_.exchange(false)) {
      return make_error(Errc::kStoreUnavailable, "sqlite: cannot sync the write-ahead log: EIO");
    }
    return ForwardingStore::sync_audit();
  }
  Status add_audit_checkpoint(const store::AuditCheckpointRecord& c) override {
    durable_checkpoints_.fetch_add(1);
    return ForwardingStore::add_audit_checkpoint(c);
  }
  Status add_audit_checkpoint_unsynced(const store::AuditCheckpointRecord& c) override {
    unsynced_checkpoints_.fetch_add(1);
    return ForwardingStore::add_audit_checkpoint_unsynced(c);
  }

  Status append_audit(const store::AuditHead& after,
                      std::span<const store::AuditRecord> records) override {
    {
      std::unique_lock lock(mu_);
      ++held_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return gate_open_ || passes_ > 0; });
      if (!gate_open_) --passes_;
      --held_;
    }
    appends_.fetch_add(1);
    if (fail_.load() || fail_next_.exchange(false)) {
      return make_error(Errc::kStoreUnavailable, "sqlite: disk I/O error");
    }

    return ForwardingStore::append_audit(after, records);
  }

 private:
  std::atomic<bool> fail_next_sync_{false};
  std::atomic<int> syncs_{0};
  std::atomic<int> durable_checkpoints_{0};
  std::atomic<int> unsynced_checkpoints_{0};
  std::atomic<bool> fail_{false};
  std::atomic<bool> fail_next_{false};
  std::atomic<int> appends_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool gate_open_ = true;
  int held_ = 0;
  int passes_ = 0;
};

// A completion that can be waited for.
class Outcome {
 public:
  AuditWriter::Completion completion() {
    return [this](const Status& s) {
      std::lock_guard lock(mu_);
      status_ = s;
      done_ = true;
      cv_.notify_all();
    };
  }
  Status wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return done_; });
    return status_;
  }
  bool done() {
    std::lock_guard lock(mu_);
    return done_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  Status status_;
};

AuditEvent event(int i) {
  AuditEvent e = test::numbered_event(i);
  return e;
}

std::vector<AuditEvent> one(int i) {
  std::vector<AuditEvent> v;
  v.push_back(event(i));
  return v;
}

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::SqliteStore::Options options;
    options.path = (dir_.path() / "audit.db").string();
    auto opened = store::SqliteStore::open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    sqlite_ = std::move(opened).value();
    controlled_ = std::make_unique<ControlledStore>(*sqlite_);
    audit_ = std::make_unique<AuditStore>(*controlled_);
  }

  // fail_closed off, retrying every 1-2 ms.
  static AuditWriter::Options fail_open() {
    AuditWriter::Options o;
    o.fail_closed = false;
    o.retry_min = std::chrono::milliseconds(1);
    o.retry_max = std::chrono::milliseconds(2);
    return o;
  }

  std::unique_ptr<AuditWriter> make_writer(AuditWriter::Options options = {}) {
    auto w = std::make_unique<AuditWriter>(*audit_, *controlled_, clock_, log_, options);
    return w;
  }

  // Submits event 1 and holds its commit at the store's gate, so later submissions queue behind
  // it; open_gate() lets it go.
  void hold_first_commit(AuditWriter& w, Outcome& first) {
    controlled_->close_gate();
    w.submit(one(1), first.completion());
    controlled_->wait_for_held_append();
  }

  // Waits until the writer has taken everything queued (it is sealing it behind a commit).
  static void wait_until_taken(AuditWriter& w) {
    while (w.stats().queued != 0)
      std::this_thread::yield();
  }

  // Submits events from..to, one submission each, with an outcome each.
  std::vector<std::unique_ptr<Outcome>> submit_each(AuditWriter& w, int from, int to) {
    std::vector<std::unique_ptr<Outcome>> out;
    for (int i = from; i <= to; ++i) {
      out.push_back(std::make_unique<Outcome>());
      w.submit(one(i), out.back()->completion());
    }
    return out;
  }

  // Submits `event(i)` and waits for its outcome.
  Status write(AuditWriter& w, int i) {
    Outcome o;
    w.submit(one(i), o.completion());
    return o.wait();
  }

  std::vector<store::AuditRecord> stored() {
    store::AuditQuery q;
    q.limit = 10'000;
    return sqlite_->read_audit(q).value();
  }

  VerifyReport verify() {
    auto keys = checkpoint_verification_keys(*sqlite_);
    EXPECT_TRUE(keys.ok());
    return audit_->verify(*keys).value();
  }

  TempDir dir_;
  ManualClock clock_{kT0};
  struct DevNull {
    int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    ~DevNull() { ::close(fd); }
  } null_;  // declared before the logger, so closed after it
  Logger log_{null_.fd};
  std::unique_ptr<store::SqliteStore> sqlite_;
  std::unique_ptr<ControlledStore> controlled_;
  std::unique_ptr<AuditStore> audit_;
};

TEST_F(WriterTest, MakesEventsDurableInSubmissionOrder) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  for (int i = 1; i <= 5; ++i)
    ASSERT_TRUE(write(*w, i).ok());
  auto rows = stored();
  ASSERT_EQ(rows.size(), 5u);
  for (int i = 1; i <= 5; ++i) {
    auto e = parse_event(rows[i - 1].body).value();
    EXPECT_EQ(e.seq, i);
    EXPECT_EQ(e.time, event(i).time);
    EXPECT_EQ(e.type, event(i).type);
  }
  EXPECT_EQ(w->head().seq, 5);
  EXPECT_EQ(w->head().hash, rows.back().hash);
  AuditWriter::Stats s = w->stats();
  EXPECT_EQ(s.committed, 5u);
  EXPECT_EQ(s.commits, 5u);
  EXPECT_TRUE(s.healthy);
  w->stop();
  VerifyReport r = verify();
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events, 5);
  EXPECT_EQ(r.checkpoints, 1);  // the final one at stop
}

TEST_F(WriterTest, StampsEventsWithoutATimeWithTheClock) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  AuditEvent e = event(1);
  e.time = Time{};
  clock_.set(kT0 + std::chrono::milliseconds(4321));
  Outcome o;
  std::vector<AuditEvent> v;
  v.push_back(std::move(e));
  w->submit(std::move(v), o.completion());
  ASSERT_TRUE(o.wait().ok());
  EXPECT_EQ(parse_event(stored().at(0).body).value().time, kT0 + std::chrono::milliseconds(4321));
}

TEST_F(WriterTest, GroupsEverythingQueuedDuringACommitIntoOneTransaction) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  Outcome first;
  hold_first_commit(*w, first);  // commit 1 is in progress
  std::vector<std::unique_ptr<Outcome>> rest;
  for (int i = 2; i <= 101; ++i) {
    rest.push_back(std::make_unique<Outcome>());
    w->submit(one(i), rest.back()->completion());
  }
  EXPECT_FALSE(first.done());
  controlled_->open_gate();
  ASSERT_TRUE(first.wait().ok());
  for (auto& o : rest)
    ASSERT_TRUE(o->wait().ok());
  EXPECT_EQ(controlled_->appends(), 2);  // one for event 1, one for the 100 that queued
  EXPECT_EQ(w->stats().commits, 2u);
  auto rows = stored();
  ASSERT_EQ(rows.size(), 101u);
  for (int i = 1; i <= 101; ++i)
    EXPECT_EQ(parse_event(rows[i - 1].body).value().type, event(i).type);
}

TEST_F(WriterTest, ABatchTakesHalfTheEventsInTheWritersHandsSoTwoCanBeInFlight) {
  auto w = make_writer();
  std::vector<std::size_t> batches;
  std::mutex mu;
  w->add_listener([&](std::span<const store::AuditRecord> records) {
    std::lock_guard lock(mu);
    batches.push_back(records.size());
  });
  ASSERT_TRUE(w->start().ok());
  Outcome first;
  hold_first_commit(*w, first);  // event 1 is in the writer's hands
  auto rest = submit_each(*w, 2, 601);
  // 601 in its hands: the batch behind the commit takes 300, and 300 stay queued.
  while (w->stats().queued > 300)
    std::this_thread::yield();
  EXPECT_EQ(w->stats().queued, 300u);
  controlled_->open_gate();
  for (auto& o : rest)
    ASSERT_TRUE(o->wait().ok());
  std::lock_guard lock(mu);
  EXPECT_EQ(batches, (std::vector<std::size_t>{1, 300, 300}));
}

TEST_F(WriterTest, NeverSplitsASubmissionAndRespectsTheBatchLimit) {
  AuditWriter::Options o;
  o.max_batch = 3;
  auto w = make_writer(o);
  ASSERT_TRUE(w->start().ok());
  Outcome first;
  hold_first_commit(*w, first);
  Outcome pair, single, triple;
  std::vector<AuditEvent> two{event(2), event(3)};
  w->submit(std::move(two), pair.completion());
  w->submit(one(4), single.completion());
  std::vector<AuditEvent> three{event(5), event(6), event(7)};
  w->submit(std::move(three), triple.completion());
  controlled_->open_gate();
  ASSERT_TRUE(triple.wait().ok());
  ASSERT_TRUE(pair.wait().ok());
  ASSERT_TRUE(single.wait().ok());
  // [1], [2,3,4] (3 events), [5,6,7].
  EXPECT_EQ(controlled_->appends(), 3);
  EXPECT_EQ(stored().size(), 7u);
}

TEST_F(WriterTest, FailClosedAnswersEveryWaiterWithTheStoreErrorAndStoresNothing) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  ASSERT_TRUE(write(*w, 1).ok());
  controlled_->fail_appends(true);
  Status failed = write(*w, 2);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.code(), Errc::kStoreUnavailable);
  EXPECT_FALSE(w->stats().healthy);
  EXPECT_EQ(w->stats().failed, 1u);
  EXPECT_EQ(stored().size(), 1u);
  // The store comes back: the chain continues from what is stored.
  controlled_->fail_appends(false);
  ASSERT_TRUE(write(*w, 3).ok());
  EXPECT_TRUE(w->stats().healthy);
  auto rows = stored();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].seq, 2);
  EXPECT_EQ(parse_event(rows[1].body).value().type, event(3).type);
  w->stop();
  EXPECT_TRUE(verify().ok());
}

TEST_F(WriterTest, FailOpenKeepsTheBatchAndRetriesUntilTheStoreIsBack) {
  auto w = make_writer(fail_open());
  ASSERT_TRUE(w->start().ok());
  controlled_->fail_appends(true);
  Outcome a, b;
  w->submit(one(1), a.completion());
  w->submit(one(2), b.completion());
  // Let it fail a few times, then heal the store.
  while (controlled_->appends() < 3)
    std::this_thread::yield();
  EXPECT_FALSE(a.done());
  controlled_->fail_appends(false);
  ASSERT_TRUE(a.wait().ok());
  ASSERT_TRUE(b.wait().ok());
  auto rows = stored();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(parse_event(rows[0].body).value().type, event(1).type);
  EXPECT_EQ(w->stats().failed, 0u);
}

TEST_F(WriterTest, FailOpenStopGivesUpAtItsDeadlineAndFailsWhatIsLeft) {
  auto w = make_writer(fail_open());
  ASSERT_TRUE(w->start().ok());
  controlled_->fail_appends(true);
  Outcome a, b;
  w->submit(one(1), a.completion());
  w->submit(one(2), b.completion());
  while (controlled_->appends() < 1)
    std::this_thread::yield();
  w->stop(std::chrono::milliseconds(20));
  for (Outcome* o2 : {&a, &b}) {
    Status s = o2->wait();
    EXPECT_EQ(s.code(), Errc::kUnavailable);
    EXPECT_EQ(s.error().message, "the audit writer stopped before committing");
  }
  EXPECT_EQ(stored().size(), 0u);
  EXPECT_EQ(w->stats().queued, 0u);
}

// Pipelining: the batch sealed while another commits.

TEST_F(WriterTest, ABatchIsAnsweredOnlyWhenItsOwnCommitIsDone) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  Outcome first;
  hold_first_commit(*w, first);
  auto rest = submit_each(*w, 2, 4);
  wait_until_taken(*w);        // sealed onto event 1's tentative head
  controlled_->release_one();  // event 1's commit goes through; 2..4's is held
  ASSERT_TRUE(first.wait().ok());
  controlled_->wait_for_held_append();
  for (auto& o : rest)
    EXPECT_FALSE(o->done());
  EXPECT_EQ(w->head().seq, 1);
  controlled_->open_gate();
  for (auto& o : rest)
    ASSERT_TRUE(o->wait().ok());
  EXPECT_EQ(controlled_->appends(), 2);
  EXPECT_EQ(w->head().seq, 4);
  w->stop();
  EXPECT_TRUE(verify().ok());
}

TEST_F(WriterTest, FailClosedBatchBehindAFailedCommitIsSealedAgainFromTheStoredHead) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  ASSERT_TRUE(write(*w, 1).ok());
  Outcome failing;
  controlled_->close_gate();
  controlled_->fail_next_append();
  w->submit(one(2), failing.completion());
  controlled_->wait_for_held_append();
  auto rest = submit_each(*w, 3, 5);
  wait_until_taken(*w);  // sealed as seq 3..5, after a seq 2 that will not exist
  controlled_->open_gate();
  EXPECT_EQ(failing.wait().code(), Errc::kStoreUnavailable);
  for (auto& o : rest)
    ASSERT_TRUE(o->wait().ok());
  auto rows = stored();
  ASSERT_EQ(rows.size(), 4u);
  for (int i = 1; i <= 4; ++i) {
    auto e = parse_event(rows[i - 1].body).value();
    EXPECT_EQ(e.seq, i);
    EXPECT_EQ(e.time, event(i == 1 ? 1 : i + 1).time);
  }
  EXPECT_EQ(controlled_->appends(), 3);  // event 1, the failed one, events 3..5 once
  AuditWriter::Stats s = w->stats();
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(s.committed, 4u);
  EXPECT_EQ(w->head().seq, 4);
  w->stop();
  EXPECT_TRUE(verify().ok());
}

TEST_F(WriterTest, FailOpenBatchBehindAFailedCommitWaitsForItAndFollowsIt) {
  auto w = make_writer(fail_open());
  ASSERT_TRUE(w->start().ok());
  Outcome first;
  controlled_->close_gate();
  controlled_->fail_next_append();
  w->submit(one(1), first.completion());
  controlled_->wait_for_held_append();
  auto rest = submit_each(*w, 2, 3);
  wait_until_taken(*w);
  controlled_->open_gate();
  ASSERT_TRUE(first.wait().ok());
  for (auto& r : rest)
    ASSERT_TRUE(r->wait().ok());
  auto rows = stored();
  ASSERT_EQ(rows.size(), 3u);
  for (int i = 1; i <= 3; ++i)
    EXPECT_EQ(parse_event(rows[i - 1].body).value().time, event(i).time);
  EXPECT_EQ(w->stats().failed, 0u);
  w->stop();
  EXPECT_TRUE(verify().ok());
}

TEST_F(WriterTest, ConflictBehindWhichABatchWasSealedContinuesTheOtherWritersChain) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  ASSERT_TRUE(write(*w, 1).ok());
  Outcome second;
  controlled_->close_gate();
  w->submit(one(2), second.completion());
  controlled_->wait_for_held_append();
  auto rest = submit_each(*w, 3, 4);
  wait_until_taken(*w);
  // Meanwhile a second gateway appends event 9 on the same database (not through the gate).
  AuditStore direct(*sqlite_);
  std::vector<AuditEvent> other{event(9)};
  ASSERT_TRUE(seal_all(other, direct.head().value()).ok());
  ASSERT_TRUE(direct.append(other).ok());
  controlled_->open_gate();
  ASSERT_TRUE(second.wait().ok());
  for (auto& r : rest)
    ASSERT_TRUE(r->wait().ok());
  auto rows = stored();
  ASSERT_EQ(rows.size(), 5u);
  const int types[] = {1, 9, 2, 3, 4};
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(parse_event(rows[i].body).value().time, event(types[i]).time) << i;
  EXPECT_EQ(w->head().seq, 5);
  EXPECT_EQ(w->head().hash, rows.back().hash);
  w->stop();
  EXPECT_TRUE(verify().ok());
}

TEST_F(WriterTest, RefusesAtOnceWhenTheQueueIsFull) {
  AuditWriter::Options o;
  o.queue = 4;
  o.max_batch = 4;
  auto w = make_writer(o);
  ASSERT_TRUE(w->start().ok());
  Outcome first;
  hold_first_commit(*w, first);  // taken by the writer: no longer queued
  auto sealed = submit_each(*w, 2, 5);
  wait_until_taken(*w);  // the next batch, full, sealed behind the commit: no longer queued
  auto queued = submit_each(*w, 6, 9);
  EXPECT_EQ(w->stats().queued, 4u);
  Outcome refused;
  w->submit(one(10), refused.completion());
  EXPECT_TRUE(refused.done());  // answered without waiting for the store
  controlled_->open_gate();
  Status s = refused.wait();
  EXPECT_EQ(s.code(), Errc::kUnavailable);
  EXPECT_EQ(s.error().message, "the audit queue is full");
  EXPECT_EQ(w->stats().rejected, 1u);
  for (auto* batch : {&sealed, &queued}) {
    for (auto& q : *batch)
      EXPECT_TRUE(q->wait().ok());
  }
  EXPECT_EQ(stored().size(), 9u);
}

TEST_F(WriterTest, AMalformedEventFailsOnlyItsOwnSubmission) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  Outcome first;
  hold_first_commit(*w, first);
  Outcome bad, good;
  AuditEvent broken = event(2);
  broken.type = "Not A Type";
  std::vector<AuditEvent> v;
  v.push_back(std::move(broken));
  w->submit(std::move(v), bad.completion());
  w->submit(one(3), good.completion());
  controlled_->open_gate();
  EXPECT_EQ(bad.wait().code(), Errc::kInternal);
  EXPECT_TRUE(good.wait().ok());
  auto rows = stored();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].seq, 2);
}

TEST_F(WriterTest, SignsACheckpointEveryNEvents) {
  AuditWriter::Options o;
  o.checkpoint_every = 3;
  auto w = make_writer(o);
  ASSERT_TRUE(w->start().ok());
  for (int i = 1; i <= 7; ++i)
    ASSERT_TRUE(write(*w, i).ok());
  w->stop();
  auto cps = sqlite_->read_audit_checkpoints(0, 100).value();
  ASSERT_EQ(cps.size(), 3u);
  EXPECT_EQ(cps[0].seq, 3);
  EXPECT_EQ(cps[1].seq, 6);
  EXPECT_EQ(cps[2].seq, 7);  // at stop
  VerifyReport r = verify();
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.checkpoints, 3);
}

TEST_F(WriterTest, ACheckpointDueIsOfTheBatchsHeadAndSyncedWithIt) {
  AuditWriter::Options o;
  o.checkpoint_every = 3;
  auto w = make_writer(o);
  ASSERT_TRUE(w->start().ok());
  const int syncs_before = controlled_->syncs();
  Outcome done;
  std::vector<AuditEvent> four;
  for (int i = 1; i <= 4; ++i)
    four.push_back(event(i));
  w->submit(std::move(four), done.completion());
  ASSERT_TRUE(done.wait().ok());
  // Answered: the checkpoint of seq 4 is stored, and one sync covered it and the events.
  auto cps = sqlite_->read_audit_checkpoints(0, 100).value();
  ASSERT_EQ(cps.size(), 1u);
  EXPECT_EQ(cps[0].seq, 4);
  EXPECT_EQ(cps[0].hash, stored().back().hash);
  EXPECT_EQ(controlled_->unsynced_checkpoints(), 1);
  EXPECT_EQ(controlled_->durable_checkpoints(), 0);
  EXPECT_EQ(controlled_->syncs() - syncs_before, 1);
  w->stop();
  VerifyReport r = verify();
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.checkpoints, 1);  // nothing after seq 4, so no final one at stop
}

TEST_F(WriterTest, AFailedSyncAnswersItsBatchWithTheErrorAndPublishesNothing) {
  auto w = make_writer();
  std::vector<std::int64_t> published;
  std::mutex mu;
  w->add_listener([&](std::span<const store::AuditRecord> records) {
    std::lock_guard lock(mu);
    for (const auto& r : records)
      published.push_back(r.seq);
  });
  ASSERT_TRUE(w->start().ok());
  controlled_->fail_next_sync();
  Status first = write(*w, 1);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(first.error().message, "sqlite: cannot sync the write-ahead log: EIO");
  EXPECT_EQ(w->head().seq, 0);
  AuditWriter::Stats s = w->stats();
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(s.commit_errors, 1u);
  EXPECT_FALSE(s.healthy);
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(published.empty());
  }
  // This store does not refuse later appends (SQLite does, sqlite_audit_test.cpp): the next
  // event follows the committed one, and the chain verifies.
  ASSERT_TRUE(write(*w, 2).ok());
  EXPECT_EQ(w->head().seq, 2);
  EXPECT_TRUE(w->stats().healthy);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(published, (std::vector<std::int64_t>{2}));
  }
  w->stop();
  VerifyReport r = verify();
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events, 2);
}

TEST_F(WriterTest, SignsACheckpointWhenTheIntervalHasPassed) {
  AuditWriter::Options o;
  o.checkpoint_every = 1000;
  o.checkpoint_interval = std::chrono::minutes(1);
  auto w = make_writer(o);
  ASSERT_TRUE(w->start().ok());
  ASSERT_TRUE(write(*w, 1).ok());
  ASSERT_TRUE(write(*w, 2).ok());
  EXPECT_EQ(w->stats().checkpoints, 0u);
  clock_.advance(std::chrono::seconds(61));
  ASSERT_TRUE(write(*w, 3).ok());  // the commit after the interval checkpoints (just after)
  while (w->stats().checkpoints == 0)
    std::this_thread::yield();
  auto cps = sqlite_->read_audit_checkpoints(0, 100).value();
  ASSERT_EQ(cps.size(), 1u);
  // It covers the head when the writer noticed the interval: after event 2 (if it was still
  // finishing that commit when the clock moved) or event 3.
  EXPECT_TRUE(cps[0].seq == 2 || cps[0].seq == 3) << cps[0].seq;
  EXPECT_EQ(cps[0].time, format_rfc3339(kT0 + std::chrono::seconds(61)));
}

TEST_F(WriterTest, AnIdleWriterCheckpointsWhenPokedAfterTheInterval) {
  AuditWriter::Options o;
  o.checkpoint_every = 1000;
  o.checkpoint_interval = std::chrono::minutes(1);
  auto w = make_writer(o);
  ASSERT_TRUE(w->start().ok());
  ASSERT_TRUE(write(*w, 1).ok());
  clock_.advance(std::chrono::minutes(2));
  w->poke();
  while (w->stats().checkpoints == 0)
    std::this_thread::yield();
  auto cps = sqlite_->read_audit_checkpoints(0, 100).value();
  ASSERT_EQ(cps.size(), 1u);
  EXPECT_EQ(cps[0].seq, 1);
}

TEST_F(WriterTest, StartCheckpointsEventsLeftWithoutOneByAPreviousProcess) {
  {
    AuditWriter::Options o;
    o.checkpoint_every = 1000;
    auto w = make_writer(o);
    ASSERT_TRUE(w->start().ok());
    for (int i = 1; i <= 3; ++i)
      ASSERT_TRUE(write(*w, i).ok());
    w->stop();  // signs the final checkpoint at 3
  }
  // Two more events appended without a checkpoint (as if the process died after committing them).
  auto head = audit_->head().value();
  std::vector<AuditEvent> more{event(4), event(5)};
  ASSERT_TRUE(seal_all(more, head).ok());
  ASSERT_TRUE(audit_->append(more).ok());
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  EXPECT_EQ(w->head().seq, 5);
  auto cps = sqlite_->read_audit_checkpoints(0, 100).value();
  ASSERT_EQ(cps.size(), 2u);
  EXPECT_EQ(cps[0].seq, 3);
  EXPECT_EQ(cps[1].seq, 5);
  ASSERT_TRUE(write(*w, 6).ok());
  EXPECT_EQ(stored().back().seq, 6);
}

TEST_F(WriterTest, ContinuesTheChainWhenAnotherWriterAppendedFirst) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  ASSERT_TRUE(write(*w, 1).ok());
  // A second gateway on the same database appends event 2 behind this writer's back.
  auto head = audit_->head().value();
  std::vector<AuditEvent> other{event(2)};
  ASSERT_TRUE(seal_all(other, head).ok());
  ASSERT_TRUE(audit_->append(other).ok());
  ASSERT_TRUE(write(*w, 3).ok());
  auto rows = stored();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].seq, 3);
  EXPECT_EQ(w->head().seq, 3);
  w->stop();
  EXPECT_TRUE(verify().ok());
}

TEST_F(WriterTest, ListenersReceiveEachCommittedBatchInSeqOrder) {
  auto w = make_writer();
  std::vector<std::int64_t> seen;
  std::mutex mu;
  w->add_listener([&](std::span<const store::AuditRecord> records) {
    std::lock_guard lock(mu);
    for (const auto& r : records)
      seen.push_back(r.seq);
  });
  ASSERT_TRUE(w->start().ok());
  for (int i = 1; i <= 4; ++i)
    ASSERT_TRUE(write(*w, i).ok());
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3, 4}));
}

TEST_F(WriterTest, StopCommitsWhatIsQueuedAndLaterSubmissionsAreRefused) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  Outcome first;
  hold_first_commit(*w, first);
  Outcome queued;
  w->submit(one(2), queued.completion());
  std::thread stopper([&] { w->stop(); });
  controlled_->open_gate();
  stopper.join();
  EXPECT_TRUE(first.wait().ok());
  EXPECT_TRUE(queued.wait().ok());
  EXPECT_EQ(stored().size(), 2u);
  Outcome late;
  w->submit(one(3), late.completion());
  EXPECT_EQ(late.wait().code(), Errc::kUnavailable);
}

TEST_F(WriterTest, SubmittingBeforeStartIsRefused) {
  auto w = make_writer();
  Outcome o;
  w->submit(one(1), o.completion());
  EXPECT_EQ(o.wait().code(), Errc::kUnavailable);
}

TEST_F(WriterTest, ManyThreadsSubmittingConcurrentlyLoseNothing) {
  auto w = make_writer();
  ASSERT_TRUE(w->start().ok());
  constexpr int kThreads = 4, kEach = 250;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (write(*w, t * kEach + i + 1).ok()) ok.fetch_add(1);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  w->stop();
  VerifyReport r = verify();
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events, kThreads * kEach);
}

TEST_F(WriterTest, SignsWithTheRingsKeyAndPicksUpARotationAtTheNextCheckpoint) {
  keys::KeyRing ring(*sqlite_, checkpoint_key_ring_options(jose::Algorithm::kES256));
  ASSERT_TRUE(ring.load(kT0).ok());
  const std::string first = ring.current().kid();
  AuditWriter::Options o;
  o.checkpoint_every = 1;
  o.key_ring = &ring;
  auto w = make_writer(o);
  ASSERT_TRUE(w->start().ok());
  ASSERT_TRUE(write(*w, 1).ok());
  while (w->stats().checkpoints < 1)
    std::this_thread::yield();
  // Another process (`stackgate keys rotate --purpose audit`) rotates through its own ring.
  keys::KeyRing other(*sqlite_, checkpoint_key_ring_options(jose::Algorithm::kES256));
  ASSERT_TRUE(other.load(kT0).ok());
  auto second = other.rotate(kT0 + std::chrono::hours(1));
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(write(*w, 2).ok());
  while (w->stats().checkpoints < 2)
    std::this_thread::yield();
  w->stop();
  auto cps = sqlite_->read_audit_checkpoints(0, 100).value();
  ASSERT_EQ(cps.size(), 2u);
  EXPECT_EQ(cps[0].kid, first);
  EXPECT_EQ(cps[1].kid, *second);
  EXPECT_TRUE(verify().ok());
}

}  // namespace
}  // namespace sg::audit
