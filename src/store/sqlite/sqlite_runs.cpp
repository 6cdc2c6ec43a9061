// SqliteStore's Pulumi runs and their engine events (migration 4): create, compare-and-set update,
// filtered lists and append-only events. The store keeps the rows; runs/ gives them meaning.
#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/transaction.hpp"

namespace sg::store {
namespace {

// The columns of a run in RunRecord's order, as run_row() reads them.
constexpr std::string_view kRunColumns =
    "id, queue_seq, stack, operation, status, message, requester, principal, approval,"
    " created_at, updated_at, started_at, finished_at, expires_at, cancel_requested_by, pid,"
    " exit_code, reason, summary";

// The fields create_run sets once (?1..?6), then those update_run replaces, in the order
// bind_mutable() binds them (?7..?18). INSERT … SELECT … WHERE NOT EXISTS rather than ON CONFLICT
// DO NOTHING, because a conflicting insert still spends an AUTOINCREMENT number: a refused
// duplicate leaves no gap in queue_seq. The UNIQUE index on id remains the guarantee.
constexpr std::string_view kInsertRun =
    "INSERT INTO runs (id, stack, operation, requester, principal, created_at,"
    " status, message, approval, updated_at, started_at, finished_at, expires_at,"
    " cancel_requested_by, reason, summary, pid, exit_code)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18"
    " WHERE NOT EXISTS (SELECT 1 FROM runs WHERE id = ?1)";

constexpr std::string_view kUpdateRun =
    "UPDATE runs SET status = ?1, message = ?2, approval = ?3, updated_at = ?4, started_at = ?5,"
    " finished_at = ?6, expires_at = ?7, cancel_requested_by = ?8, reason = ?9, summary = ?10,"
    " pid = ?11, exit_code = ?12"
    " WHERE id = ?13 AND status = ?14";

constexpr std::string_view kInsertEvent =
    "INSERT INTO run_events (run_id, seq, line) VALUES (?1, ?2, ?3)";

// "SELECT <every run column> FROM runs<rest>".
std::string select_runs(std::string_view rest) {
  std::string sql = "SELECT ";
  sql += kRunColumns;
  sql += " FROM runs";
  sql += rest;
  return sql;
}

// Appends "?first, ?first+1, …" (`count` parameters) to `sql`.
void append_parameters(std::string& sql, int first, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) sql += ", ";
    sql += '?';
    sql += std::to_string(first + static_cast<int>(i));
  }
}

Status check_statuses(std::size_t count, std::string_view what) {
  if (count > kMaxRunStatuses) {
    return make_error(Errc::kInvalidArgument, std::string(what) + ": at most " +
                                                  std::to_string(kMaxRunStatuses) + " statuses");
  }
  return {};
}

Status check_limit(std::size_t limit, std::size_t max, std::string_view what) {
  if (limit == 0 || limit > max) {
    return make_error(Errc::kInvalidArgument,
                      std::string(what) + ": limit must be 1 to " + std::to_string(max));
  }
  return {};
}

// Binds the fields update_run replaces, from parameter `first` on (see kInsertRun, kUpdateRun).
Status bind_mutable(Statement& q, const RunRecord& r, int first) {
  const std::array<std::string_view, 10> texts = {
      r.status,     r.message,     r.approval,   r.updated_at,
      r.started_at, r.finished_at, r.expires_at, r.cancel_requested_by,
      r.reason,     r.summary};
  int index = first;
  for (std::string_view text : texts) {
    if (Status s = q.bind_text(index++, text); !s) return s;
  }
  if (Status s = q.bind_int(index++, r.pid); !s) return s;
  return r.exit_code ? q.bind_int(index, *r.exit_code) : q.bind_null(index);
}

RunRecord run_row(const Statement& q) {
  RunRecord r;
  r.id = q.column_text(0);
  r.queue_seq = q.column_int(1);
  r.stack = q.column_text(2);
  r.operation = q.column_text(3);
  r.status = q.column_text(4);
  r.message = q.column_text(5);
  r.requester = q.column_text(6);
  r.principal = q.column_text(7);
  r.approval = q.column_text(8);
  r.created_at = q.column_text(9);
  r.updated_at = q.column_text(10);
  r.started_at = q.column_text(11);
  r.finished_at = q.column_text(12);
  r.expires_at = q.column_text(13);
  r.cancel_requested_by = q.column_text(14);
  r.pid = q.column_int(15);
  if (!q.column_is_null(16)) r.exit_code = static_cast<int>(q.column_int(16));
  r.reason = q.column_text(17);
  r.summary = q.column_text(18);
  return r;
}

// Every row `q` yields, as runs.
Result<std::vector<RunRecord>> collect_runs(Statement& q) {
  std::vector<RunRecord> out;
  for (;;) {
    Result<bool> row = q.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(run_row(q));
  }
}

// The stored status of run `id`, or nothing when there is no such run.
Result<std::optional<std::string>> stored_status(sqlite3* db, std::string_view id,
                                                 std::string_view what) {
  Result<Statement> select = Statement::prepare(db, "SELECT status FROM runs WHERE id = ?1", what);
  if (!select) return select.error();
  if (Status s = select->bind_text(1, id); !s) return s.error();
  Result<bool> row = select->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(select->column_text(0));
}

// The seq of the last stored event of run `run_id`; 0 when it has none.
Result<std::int64_t> last_event_seq(sqlite3* db, std::string_view run_id) {
  Result<Statement> select = Statement::prepare(
      db, "SELECT COALESCE(MAX(seq), 0) FROM run_events WHERE run_id = ?1", "append_run_events");
  if (!select) return select.error();
  if (Status s = select->bind_text(1, run_id); !s) return s.error();
  Result<bool> row = select->step();
  if (!row) return row.error();
  return *row ? select->column_int(0) : 0;
}

}  // namespace

Result<RunRecord> SqliteStore::create_run(const RunRecord& run) {
  std::lock_guard lock(mu_);
  Result<Statement> insert = Statement::prepare(db_, kInsertRun, "create_run");
  if (!insert) return insert.error();
  if (Status s = insert->bind_text(1, run.id); !s) return s.error();
  if (Status s = insert->bind_text(2, run.stack); !s) return s.error();
  if (Status s = insert->bind_text(3, run.operation); !s) return s.error();
  if (Status s = insert->bind_text(4, run.requester); !s) return s.error();
  if (Status s = insert->bind_text(5, run.principal); !s) return s.error();
  if (Status s = insert->bind_text(6, run.created_at); !s) return s.error();
  if (Status s = bind_mutable(*insert, run, 7); !s) return s.error();
  if (Status s = insert->run(); !s) return s.error();
  if (sqlite3_changes(db_) == 0) {
    return make_error(Errc::kConflict, "create_run: a run with this id exists");
  }
  RunRecord created = run;
  created.queue_seq = sqlite3_last_insert_rowid(db_);
  return created;
}

Result<std::optional<RunRecord>> SqliteStore::get_run(std::string_view id) {
  std::lock_guard lock(mu_);
  Result<Statement> select = Statement::prepare(db_, select_runs(" WHERE id = ?1"), "get_run");
  if (!select) return select.error();
  if (Status s = select->bind_text(1, id); !s) return s.error();
  Result<bool> row = select->step();
  if (!row) return row.error();
  if (!*row) return std::optional<RunRecord>();
  return std::optional<RunRecord>(run_row(*select));
}

Status SqliteStore::update_run(const RunRecord& run, std::string_view expected_status) {
  std::lock_guard lock(mu_);
  // One transaction, so that when nothing changed the status read below is the one that stopped
  // the update.
  Result<Transaction> tx = Transaction::begin_immediate(db_, "update_run");
  if (!tx) return tx.error();
  Result<Statement> update = Statement::prepare(db_, kUpdateRun, "update_run");
  if (!update) return update.error();
  if (Status s = bind_mutable(*update, run, 1); !s) return s;
  if (Status s = update->bind_text(13, run.id); !s) return s;
  if (Status s = update->bind_text(14, expected_status); !s) return s;
  if (Status s = update->run(); !s) return s;
  if (sqlite3_changes(db_) != 0) return tx->commit();

  Result<std::optional<std::string>> stored = stored_status(db_, run.id, "update_run");
  if (!stored) return stored.error();
  if (!*stored) return make_error(Errc::kNotFound, "update_run: no such run");
  return make_error(Errc::kConflict,
                    "update_run: the run is " + **stored + ", not " + std::string(expected_status));
}

Result<std::vector<RunRecord>> SqliteStore::list_runs(const RunQuery& query) {
  if (Status s = check_limit(query.limit, kMaxRunPage, "list_runs"); !s) return s.error();
  if (query.statuses) {
    if (Status s = check_statuses(query.statuses->size(), "list_runs"); !s) return s.error();
    if (query.statuses->empty()) return std::vector<RunRecord>();
  }
  // Only fixed fragments are joined here; every value is a bound parameter.
  std::string sql = select_runs(" WHERE queue_seq < ?1");
  int next = 2;
  auto add = [&](bool present, std::string_view fragment) {
    if (!present) return 0;
    sql += fragment;
    sql += std::to_string(next);
    return next++;
  };
  const int stack = add(query.stack.has_value(), " AND stack = ?");
  const int requester = add(query.requester.has_value(), " AND requester = ?");
  const int statuses = query.statuses ? next : 0;
  if (query.statuses) {
    sql += " AND status IN (";
    append_parameters(sql, next, query.statuses->size());
    sql += ")";
    next += static_cast<int>(query.statuses->size());
  }
  const int limit = add(true, " ORDER BY queue_seq DESC LIMIT ?");

  std::lock_guard lock(mu_);
  Result<Statement> select = Statement::prepare(db_, sql, "list_runs");
  if (!select) return select.error();
  Statement& q = *select;
  Status bound = q.bind_int(1, query.before_seq.value_or(std::numeric_limits<std::int64_t>::max()));
  if (bound && stack != 0) bound = q.bind_text(stack, *query.stack);
  if (bound && requester != 0) bound = q.bind_text(requester, *query.requester);
  for (std::size_t i = 0; bound && statuses != 0 && i < query.statuses->size(); ++i) {
    bound = q.bind_text(statuses + static_cast<int>(i), (*query.statuses)[i]);
  }
  if (bound) bound = q.bind_int(limit, static_cast<std::int64_t>(query.limit));
  if (!bound) return bound.error();
  return collect_runs(q);
}

Result<std::vector<RunRecord>> SqliteStore::runs_with_status(
    std::span<const std::string> statuses) {
  if (Status s = check_statuses(statuses.size(), "runs_with_status"); !s) return s.error();
  if (statuses.empty()) return std::vector<RunRecord>();
  std::string sql = select_runs(" WHERE status IN (");
  append_parameters(sql, 1, statuses.size());
  sql += ") ORDER BY queue_seq";

  std::lock_guard lock(mu_);
  Result<Statement> select = Statement::prepare(db_, sql, "runs_with_status");
  if (!select) return select.error();
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (Status s = select->bind_text(static_cast<int>(i) + 1, statuses[i]); !s) return s.error();
  }
  return collect_runs(*select);
}

Status SqliteStore::append_run_events(std::string_view run_id,
                                      std::span<const RunEventRecord> events) {
  if (events.empty()) return {};
  std::lock_guard lock(mu_);
  Result<Transaction> tx = Transaction::begin_immediate(db_, "append_run_events");
  if (!tx) return tx.error();
  Result<std::optional<std::string>> run = stored_status(db_, run_id, "append_run_events");
  if (!run) return run.error();
  if (!*run) return make_error(Errc::kNotFound, "append_run_events: no such run");
  Result<std::int64_t> last = last_event_seq(db_, run_id);
  if (!last) return last.error();
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::int64_t expected = *last + 1 + static_cast<std::int64_t>(i);
    if (events[i].seq != expected) {
      return make_error(Errc::kInvalidArgument, "append_run_events: event " +
                                                    std::to_string(i + 1) + " has seq " +
                                                    std::to_string(events[i].seq) + ", expected " +
                                                    std::to_string(expected));
    }
  }

  Result<Statement> insert = Statement::prepare(db_, kInsertEvent, "append_run_events");
  if (!insert) return insert.error();
  for (const RunEventRecord& e : events) {
    insert->reset();
    if (Status s = insert->bind_text(1, run_id); !s) return s;
    if (Status s = insert->bind_int(2, e.seq); !s) return s;
    if (Status s = insert->bind_text(3, e.line); !s) return s;
    if (Status s = insert->run(); !s) return s;
  }
  return tx->commit();
}

Result<std::vector<RunEventRecord>> SqliteStore::read_run_events(std::string_view run_id,
                                                                 std::int64_t after_seq,
                                                                 std::size_t limit) {
  if (Status s = check_limit(limit, kMaxRunEventPage, "read_run_events"); !s) return s.error();
  std::lock_guard lock(mu_);
  Result<Statement> select =
      Statement::prepare(db_,
                         "SELECT seq, line FROM run_events"
                         " WHERE run_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                         "read_run_events");
  if (!select) return select.error();
  if (Status s = select->bind_text(1, run_id); !s) return s.error();
  if (Status s = select->bind_int(2, after_seq); !s) return s.error();
  if (Status s = select->bind_int(3, static_cast<std::int64_t>(limit)); !s) return s.error();
  std::vector<RunEventRecord> out;
  for (;;) {
    Result<bool> row = select->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(RunEventRecord{select->column_int(0), select->column_text(1)});
  }
}

}  // namespace sg::store
