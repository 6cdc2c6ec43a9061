// The SQLite store's runs and run events (migration 4): create and get, compare-and-set updates,
// filtered lists, the queue and append-only events. What the rows mean is tested in
// tests/unit/runs.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::RawDb;
using testing::TempDir;

// The id of run `n`: 32 lowercase hex characters.
std::string id_of(int n) {
  char id[33];
  std::snprintf(id, sizeof id, "%032x", n);
  return id;
}

// Run `n` with every field set to a value of its own (queue_seq is the store's to set).
RunRecord full_run(int n) {
  RunRecord r;
  r.id = id_of(n);
  r.queue_seq = 0;
  r.stack = "acme/web/prod";
  r.operation = "up";
  r.status = "succeeded";
  r.message = "deploy #" + std::to_string(n);
  r.requester = "user:alice";
  r.principal = R"({"sub":"user:alice","groups":["dev"]})";
  r.approval = R"({"required":1,"approvals":["user:carol"]})";
  r.created_at = "2026-11-29T04:00:00.000Z";
  r.updated_at = "2026-11-29T04:05:00.000Z";
  r.started_at = "2026-11-29T04:01:00.000Z";
  r.finished_at = "2026-11-29T04:05:00.000Z";
  r.expires_at = "2026-11-29T05:00:00.000Z";
  r.cancel_requested_by = "user:bob";
  r.pid = 4242;
  r.exit_code = 3;
  r.reason = "stack is locked";
  r.summary = R"({"changes":2})";
  return r;
}

// Run `n` as it is requested: only what a new run has, the rest empty.
RunRecord new_run(int n, std::string stack = "acme/web/prod", std::string status = "queued",
                  std::string requester = "user:alice") {
  RunRecord r;
  r.id = id_of(n);
  r.stack = std::move(stack);
  r.operation = "preview";
  r.status = std::move(status);
  r.requester = std::move(requester);
  r.principal = R"({"sub":"user:alice"})";
  r.created_at = "2026-11-29T04:00:00.000Z";
  r.updated_at = r.created_at;
  return r;
}

std::vector<std::int64_t> seqs(const Result<std::vector<RunRecord>>& r) {
  if (!r) return {-1};
  std::vector<std::int64_t> out;
  for (const RunRecord& run : *r)
    out.push_back(run.queue_seq);
  return out;
}

// Events `from`..`to` with lines naming their seq.
std::vector<RunEventRecord> events(std::int64_t from, std::int64_t to) {
  std::vector<RunEventRecord> out;
  for (std::int64_t s = from; s <= to; ++s)
    out.push_back({s, R"({"sequence":)" + std::to_string(s * 10) + "}"});
  return out;
}

class SqliteRunsTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    store_.reset();
    auto opened = SqliteStore::open({.path = path_});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  // Creates `run` and returns it as stored.
  RunRecord create(const RunRecord& run) {
    Result<RunRecord> created = store_->create_run(run);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? *created : RunRecord{};
  }

  // Six runs, queue_seq 1..6:
  //   1 s1 queued    alice     2 s2 running   bob      3 s1 succeeded bob
  //   4 s2 queued    alice     5 s1 failed    alice    6 s1 queued    bob
  void fill() {
    create(new_run(1, "acme/p/s1", "queued", "user:alice"));
    create(new_run(2, "acme/p/s2", "running", "user:bob"));
    create(new_run(3, "acme/p/s1", "succeeded", "user:bob"));
    create(new_run(4, "acme/p/s2", "queued", "user:alice"));
    create(new_run(5, "acme/p/s1", "failed", "user:alice"));
    create(new_run(6, "acme/p/s1", "queued", "user:bob"));
  }

  TempDir dir_;
  const std::string path_ = dir_.file("stackgate.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteRunsTest, CreateAndGetRoundTripEveryField) {
  RunRecord run = full_run(1);
  run.queue_seq = 77;  // ignored: the store numbers runs
  Result<RunRecord> created = store_->create_run(run);
  ASSERT_TRUE(created.ok()) << created.error().message;
  RunRecord expected = run;
  expected.queue_seq = 1;
  EXPECT_EQ(*created, expected);
  Result<std::optional<RunRecord>> got = store_->get_run(run.id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, expected);
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("SELECT exit_code FROM runs"), 3);
}

TEST_F(SqliteRunsTest, KeepsAMissingExitCodeNullAndAZeroExitCodeZero) {
  const RunRecord fresh = create(new_run(1));
  EXPECT_FALSE(fresh.exit_code.has_value());
  EXPECT_EQ(*store_->get_run(fresh.id), fresh);
  RunRecord exited = new_run(2);
  exited.exit_code = 0;
  EXPECT_EQ(store_->get_run(create(exited).id)->value().exit_code, std::optional<int>(0));
  RunRecord negative = new_run(3);
  negative.exit_code = -9;
  EXPECT_EQ(store_->get_run(create(negative).id)->value().exit_code, std::optional<int>(-9));

  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT exit_code FROM runs WHERE queue_seq = 1"), "<null>");
  EXPECT_EQ(raw.text("SELECT approval FROM runs WHERE queue_seq = 1"), "");
}

TEST_F(SqliteRunsTest, GetOfAnUnknownRunIsNothing) {
  create(new_run(1));
  Result<std::optional<RunRecord>> got = store_->get_run(id_of(2));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_FALSE(got->has_value());
}

TEST_F(SqliteRunsTest, QueueSeqCountsFromOneAndIsNeverReused) {
  EXPECT_EQ(create(new_run(1)).queue_seq, 1);
  EXPECT_EQ(create(new_run(2)).queue_seq, 2);
  EXPECT_EQ(create(new_run(3)).queue_seq, 3);
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec("DELETE FROM runs WHERE queue_seq >= 2"), SQLITE_OK);
  }
  EXPECT_EQ(create(new_run(4)).queue_seq, 4);
  open();
  EXPECT_EQ(create(new_run(5)).queue_seq, 5);
}

TEST_F(SqliteRunsTest, DuplicateIdIsConflictAndSpendsNoQueueSeq) {
  const RunRecord first = create(new_run(1));
  RunRecord again = new_run(1, "acme/other/stack", "running");
  Result<RunRecord> duplicate = store_->create_run(again);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.code(), Errc::kConflict);
  EXPECT_EQ(duplicate.error().message, "create_run: a run with this id exists");
  EXPECT_EQ(*store_->get_run(first.id), first);
  EXPECT_EQ(create(new_run(2)).queue_seq, 2);
}

TEST_F(SqliteRunsTest, UpdateReplacesTheMutableFieldsWhileTheStatusIsExpected) {
  const RunRecord created = create(new_run(1));
  RunRecord changed = full_run(9);  // every field differs from `created`, the immutable ones too
  changed.id = created.id;
  changed.queue_seq = 42;
  changed.stack = "acme/other/stack";
  changed.operation = "destroy";
  changed.requester = "user:mallory";
  changed.principal = R"({"sub":"user:mallory"})";
  changed.created_at = "2030-01-01T00:00:00.000Z";
  ASSERT_TRUE(store_->update_run(changed, "queued").ok());

  RunRecord expected = changed;
  expected.queue_seq = created.queue_seq;
  expected.stack = created.stack;
  expected.operation = created.operation;
  expected.requester = created.requester;
  expected.principal = created.principal;
  expected.created_at = created.created_at;
  EXPECT_EQ(*store_->get_run(created.id), expected);

  // The next update compares against the new status and can clear the exit code again.
  RunRecord cleared = expected;
  cleared.status = "queued";
  cleared.exit_code.reset();
  ASSERT_TRUE(store_->update_run(cleared, "succeeded").ok());
  EXPECT_EQ(*store_->get_run(created.id), cleared);
}

TEST_F(SqliteRunsTest, UpdateFromAnotherStatusIsConflictAndChangesNothing) {
  const RunRecord created = create(new_run(1));
  RunRecord running = created;
  running.status = "running";
  running.pid = 100;
  Status s = store_->update_run(running, "awaiting_approval");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kConflict);
  EXPECT_EQ(s.error().message, "update_run: the run is queued, not awaiting_approval");
  EXPECT_EQ(*store_->get_run(created.id), created);
}

TEST_F(SqliteRunsTest, OfTwoUpdatesFromTheSameStatusOnlyTheFirstWins) {
  const RunRecord created = create(new_run(1));
  auto other = SqliteStore::open({.path = path_});  // a second gateway on the same database
  ASSERT_TRUE(other.ok()) << other.error().message;
  RunRecord started = created;
  started.status = "running";
  RunRecord cancelled = created;
  cancelled.status = "cancelled";
  cancelled.cancel_requested_by = "user:bob";
  ASSERT_TRUE(store_->update_run(started, "queued").ok());
  EXPECT_EQ((*other)->update_run(cancelled, "queued").code(), Errc::kConflict);
  EXPECT_EQ(*(*other)->get_run(created.id), started);
}

TEST_F(SqliteRunsTest, UpdateOfAnUnknownRunIsNotFound) {
  create(new_run(1));
  Status s = store_->update_run(new_run(2), "queued");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kNotFound);
  EXPECT_EQ(s.error().message, "update_run: no such run");
}

TEST_F(SqliteRunsTest, ListsEveryRunNewestFirst) {
  fill();
  EXPECT_EQ(seqs(store_->list_runs({})), (std::vector<std::int64_t>{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(store_->list_runs({})->back(), *store_->get_run(id_of(1)));
}

TEST_F(SqliteRunsTest, FiltersByEachFieldAlone) {
  fill();
  RunQuery q;
  q.stack = "acme/p/s1";
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{6, 5, 3, 1}));
  q = {};
  q.requester = "user:alice";
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{5, 4, 1}));
  q = {};
  q.statuses = {"queued"};
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{6, 4, 1}));
  q.statuses = {"queued", "failed", "running"};
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{6, 5, 4, 2, 1}));
  q.statuses = std::vector<std::string>{};
  EXPECT_EQ(seqs(store_->list_runs(q)), std::vector<std::int64_t>{});
}

TEST_F(SqliteRunsTest, CombinesFilters) {
  fill();
  RunQuery q;
  q.stack = "acme/p/s1";
  q.requester = "user:bob";
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{6, 3}));
  q.statuses = {"succeeded", "running"};
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{3}));
  q = {};
  q.stack = "acme/p/s2";
  q.statuses = {"queued"};
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{4}));
  q = {};
  q.stack = "acme/p/s1' OR '1'='1";
  EXPECT_EQ(seqs(store_->list_runs(q)), std::vector<std::int64_t>{});
}

TEST_F(SqliteRunsTest, PagesBeforeACursor) {
  fill();
  RunQuery q;
  q.limit = 2;
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{6, 5}));
  q.before_seq = 5;
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{4, 3}));
  q.before_seq = 3;
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{2, 1}));
  q.before_seq = 1;
  EXPECT_EQ(seqs(store_->list_runs(q)), std::vector<std::int64_t>{});

  q = {};
  q.stack = "acme/p/s1";
  q.limit = 3;
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{6, 5, 3}));
  q.before_seq = 3;
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{1}));
}

TEST_F(SqliteRunsTest, RefusesALimitOutsideOneToMaxPage) {
  fill();
  RunQuery q;
  q.limit = 0;
  Result<std::vector<RunRecord>> r = store_->list_runs(q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, "list_runs: limit must be 1 to 1000");
  q.limit = kMaxRunPage + 1;
  EXPECT_EQ(store_->list_runs(q).code(), Errc::kInvalidArgument);
  q.limit = kMaxRunPage;
  EXPECT_EQ(seqs(store_->list_runs(q)).size(), 6u);
}

TEST_F(SqliteRunsTest, RefusesMoreThanMaxStatuses) {
  fill();
  std::vector<std::string> many(kMaxRunStatuses, "queued");
  RunQuery q;
  q.statuses = many;
  EXPECT_EQ(seqs(store_->list_runs(q)), (std::vector<std::int64_t>{6, 4, 1}));
  EXPECT_EQ(seqs(store_->runs_with_status(many)), (std::vector<std::int64_t>{1, 4, 6}));

  many.push_back("running");
  q.statuses = many;
  Result<std::vector<RunRecord>> listed = store_->list_runs(q);
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.code(), Errc::kInvalidArgument);
  EXPECT_EQ(listed.error().message, "list_runs: at most 16 statuses");
  Result<std::vector<RunRecord>> queued = store_->runs_with_status(many);
  ASSERT_FALSE(queued.ok());
  EXPECT_EQ(queued.code(), Errc::kInvalidArgument);
  EXPECT_EQ(queued.error().message, "runs_with_status: at most 16 statuses");
}

TEST_F(SqliteRunsTest, RunsWithStatusAreOldestFirst) {
  fill();
  const std::vector<std::string> waiting = {"running", "queued"};
  EXPECT_EQ(seqs(store_->runs_with_status(waiting)), (std::vector<std::int64_t>{1, 2, 4, 6}));
  const std::vector<std::string> queued = {"queued"};
  EXPECT_EQ(seqs(store_->runs_with_status(queued)), (std::vector<std::int64_t>{1, 4, 6}));
  const std::vector<std::string> running = {"running"};
  EXPECT_EQ(*store_->runs_with_status(running),
            (std::vector<RunRecord>{store_->get_run(id_of(2))->value()}));
  const std::vector<std::string> unknown = {"no such status"};
  EXPECT_EQ(seqs(store_->runs_with_status(unknown)), std::vector<std::int64_t>{});
  EXPECT_EQ(seqs(store_->runs_with_status({})), std::vector<std::int64_t>{});
}

TEST_F(SqliteRunsTest, AppendsEventsAndReadsThemInPages) {
  const std::string run = create(new_run(1)).id;
  const std::string other = create(new_run(2)).id;
  ASSERT_TRUE(store_->append_run_events(run, events(1, 3)).ok());
  ASSERT_TRUE(store_->append_run_events(other, events(1, 2)).ok());
  ASSERT_TRUE(store_->append_run_events(run, events(4, 5)).ok());
  ASSERT_TRUE(store_->append_run_events(run, {}).ok());  // nothing to append

  EXPECT_EQ(*store_->read_run_events(run, 0, 100), events(1, 5));
  EXPECT_EQ(*store_->read_run_events(run, 0, 2), events(1, 2));
  EXPECT_EQ(*store_->read_run_events(run, 2, 2), events(3, 4));
  EXPECT_EQ(*store_->read_run_events(run, 4, 2), events(5, 5));
  EXPECT_TRUE(store_->read_run_events(run, 5, 2)->empty());
  EXPECT_EQ(*store_->read_run_events(other, 0, 100), events(1, 2));
  EXPECT_TRUE(store_->read_run_events(id_of(3), 0, 100)->empty());
}

TEST_F(SqliteRunsTest, RefusesAnEventLimitOutsideOneToMaxPage) {
  const std::string run = create(new_run(1)).id;
  Result<std::vector<RunEventRecord>> r = store_->read_run_events(run, 0, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, "read_run_events: limit must be 1 to 10000");
  EXPECT_EQ(store_->read_run_events(run, 0, kMaxRunEventPage + 1).code(), Errc::kInvalidArgument);
  EXPECT_TRUE(store_->read_run_events(run, 0, kMaxRunEventPage).ok());
}

TEST_F(SqliteRunsTest, RefusesMisnumberedEventsAndStoresNoneOfThem) {
  const std::string run = create(new_run(1)).id;
  ASSERT_TRUE(store_->append_run_events(run, events(1, 2)).ok());

  Status s = store_->append_run_events(run, events(4, 5));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kInvalidArgument);
  EXPECT_EQ(s.error().message, "append_run_events: event 1 has seq 4, expected 3");
  const std::vector<RunEventRecord> gap = {events(3, 3)[0], events(5, 5)[0]};
  s = store_->append_run_events(run, gap);
  EXPECT_EQ(s.code(), Errc::kInvalidArgument);
  EXPECT_EQ(s.error().message, "append_run_events: event 2 has seq 5, expected 4");
  EXPECT_EQ(store_->append_run_events(run, events(2, 3)).code(), Errc::kInvalidArgument);
  EXPECT_EQ(store_->append_run_events(run, events(1, 1)).code(), Errc::kInvalidArgument);
  // A run's first event is 1.
  EXPECT_EQ(store_->append_run_events(create(new_run(2)).id, events(2, 2)).code(),
            Errc::kInvalidArgument);

  EXPECT_EQ(*store_->read_run_events(run, 0, 100), events(1, 2));
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM run_events"), 2);
}

TEST_F(SqliteRunsTest, AppendingToAnUnknownRunIsNotFound) {
  create(new_run(1));
  Status s = store_->append_run_events(id_of(2), events(1, 1));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kNotFound);
  EXPECT_EQ(s.error().message, "append_run_events: no such run");
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM run_events"), 0);
}

TEST_F(SqliteRunsTest, AnEventBatchIsAllOrNothing) {
  const std::string run = create(new_run(1)).id;
  RawDb raw(path_);
  ASSERT_EQ(raw.exec("CREATE TRIGGER boom BEFORE INSERT ON run_events WHEN NEW.seq = 3"
                     " BEGIN SELECT RAISE(ABORT, 'boom'); END"),
            SQLITE_OK);
  Status s = store_->append_run_events(run, events(1, 4));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM run_events"), 0);
}

TEST_F(SqliteRunsTest, RunsAndEventsSurviveReopeningTheDatabase) {
  const RunRecord run = create(full_run(1));
  ASSERT_TRUE(store_->append_run_events(run.id, events(1, 3)).ok());
  open();
  EXPECT_EQ(*store_->get_run(run.id), run);
  EXPECT_EQ(*store_->read_run_events(run.id, 0, 100), events(1, 3));
  ASSERT_TRUE(store_->append_run_events(run.id, events(4, 4)).ok());
  EXPECT_EQ(*store_->read_run_events(run.id, 3, 100), events(4, 4));
}

TEST_F(SqliteRunsTest, RunEventsAreAppendOnly) {
  const std::string run = create(new_run(1)).id;
  ASSERT_TRUE(store_->append_run_events(run, events(1, 2)).ok());
  RawDb raw(path_);
  EXPECT_EQ(raw.exec("UPDATE run_events SET line = '{}' WHERE seq = 1"), SQLITE_CONSTRAINT);
  EXPECT_EQ(raw.exec("DELETE FROM run_events WHERE seq = 2"), SQLITE_CONSTRAINT);
  EXPECT_EQ(raw.exec("DELETE FROM run_events"), SQLITE_CONSTRAINT);
  EXPECT_EQ(*store_->read_run_events(run, 0, 100), events(1, 2));
}

TEST(SqliteMigration4, UpgradesAVersion3DatabaseKeepingItsRows) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  {
    auto v3 = SqliteStore::open({.path = path}, sqlite_migrations().first(3));
    ASSERT_TRUE(v3.ok()) << v3.error().message;
    ASSERT_TRUE((*v3)->revoke_token("j", 10, "2026-11-29T04:00:00.000Z").ok());
  }
  auto v4 = SqliteStore::open({.path = path});
  ASSERT_TRUE(v4.ok()) << v4.error().message;
  EXPECT_GE(*(*v4)->schema_version(), 4);
  EXPECT_EQ((*v4)->revoked_tokens(0)->size(), 1u);
  EXPECT_EQ((*v4)->create_run(new_run(1))->queue_seq, 1);
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT description FROM schema_version WHERE version = 4"), "runs");
}

}  // namespace
}  // namespace sg::store
