// SqliteStore's audit log operations: append (one transaction per batch), head, filtered reads and
// checkpoints. The tables are created by migration 2, the bucketed indexes by migration 5
// (migrations.cpp). The fixed statements are prepared once (StatementCache).
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>

#include "store/sqlite/audit_buckets.hpp"
#include "store/sqlite/sqlite_audit_reader.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/transaction.hpp"

namespace sg::store {
namespace {

constexpr std::string_view kInsertEvent =
    "INSERT INTO audit_events (seq, time, type, actor_subject, stack, decision, body, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

constexpr std::string_view kSelectHead =
    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";

Status check_limit(std::size_t limit, std::string_view what) {
  if (limit == 0 || limit > kMaxAuditPage) {
    return make_error(Errc::kInvalidArgument,
                      std::string(what) + ": limit must be 1 to " + std::to_string(kMaxAuditPage));
  }
  return {};
}

// A time bound in the stored form, rounded up to the stored millisecond precision (see
// AuditQuery).
std::string time_bound(Time t) {
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(t.time_since_epoch());
  return format_rfc3339(Time(std::chrono::duration_cast<Time::duration>(ms)));
}

Result<AuditHead> read_head(StatementCache& statements) {
  Result<StatementCache::Lease> query = statements.get(kSelectHead, "audit_head");
  if (!query) return query.error();
  Statement& q = **query;
  Result<bool> row = q.step();
  if (!row) return row.error();
  if (!*row) return AuditHead{};
  return AuditHead{q.column_int(0), q.column_text(1)};
}

Status insert_event(Statement& insert, const AuditRecord& r) {
  insert.reset();
  if (Status s = insert.bind_int(1, r.seq); !s) return s;
  if (Status s = insert.bind_text(2, r.time); !s) return s;
  if (Status s = insert.bind_text(3, r.type); !s) return s;
  if (Status s = insert.bind_optional_text(4, r.actor_subject); !s) return s;
  if (Status s = insert.bind_optional_text(5, r.stack); !s) return s;
  if (Status s = insert.bind_optional_text(6, r.decision); !s) return s;
  if (Status s = insert.bind_text(7, r.body); !s) return s;
  if (Status s = insert.bind_text(8, r.hash); !s) return s;
  return insert.run();
}

AuditRecord event_row(const Statement& q) {
  AuditRecord r;
  assign_row(r, audit_row_view(q));
  return r;
}

}  // namespace

Status SqliteStore::append_audit(const AuditHead& after, std::span<const AuditRecord> records) {
  std::lock_guard lock(mu_);
  return append_audit_locked(after, records);
}

Status SqliteStore::append_audit_unsynced(const AuditHead& after,
                                          std::span<const AuditRecord> records) {
  std::lock_guard lock(mu_);
  return without_sync([&] { return append_audit_locked(after, records); });
}

Status SqliteStore::without_sync(const std::function<Status()>& write) {
  Result<StatementCache::Lease> normal = statements_.get("PRAGMA synchronous=NORMAL", "unsynced");
  if (!normal) return normal.error();
  if (Status s = (*normal)->run(); !s) return s;
  Status written = write();
  // Every other write of this connection stays durable at its commit. Should this fail (it only
  // sets a flag of the connection), no audit append is trusted any more.
  Result<StatementCache::Lease> full = statements_.get("PRAGMA synchronous=FULL", "unsynced");
  Status restored = full ? (*full)->run() : Status(full.error());
  if (!restored) {
    sync_failed_.store(true);
    return restored;
  }
  return written;
}

Status SqliteStore::sync_audit() {
  if (Status refused = refuse_after_failed_sync(); !refused) return refused;
  int rc = 0;
  do {
    rc = ::fdatasync(wal_.get());
  } while (rc != 0 && errno == EINTR);
  std::string failure;
  if (rc != 0) {
    failure = std::string("cannot sync the write-ahead log: ") + std::strerror(errno);
  } else if (struct stat st{}; ::fstat(wal_.get(), &st) != 0 || st.st_nlink == 0) {
    failure = "the write-ahead log file was removed while the gateway used it";
  }
  if (failure.empty()) return {};
  sync_failed_.store(true);
  return make_error(Errc::kStoreUnavailable,
                    "sqlite: " + failure + "; audit appends stop until the gateway restarts");
}

Status SqliteStore::refuse_after_failed_sync() const {
  if (!sync_failed_.load()) return {};
  return make_error(Errc::kStoreUnavailable,
                    "sqlite: an earlier sync of the write-ahead log failed; audit appends stop "
                    "until the gateway restarts");
}

Status SqliteStore::append_audit_locked(const AuditHead& after,
                                        std::span<const AuditRecord> records) {
  if (Status refused = refuse_after_failed_sync(); !refused) return refused;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].seq != after.seq + 1 + static_cast<std::int64_t>(i)) {
      return make_error(Errc::kInvalidArgument,
                        "append_audit: record " + std::to_string(i + 1) + " has seq " +
                            std::to_string(records[i].seq) + ", expected " +
                            std::to_string(after.seq + 1 + static_cast<std::int64_t>(i)));
    }
  }
  if (records.empty()) return {};

  Result<Transaction> tx = Transaction::begin_immediate(db_, "append_audit");
  if (!tx) return tx.error();
  Result<AuditHead> head = read_head(statements_);
  if (!head) return head.error();
  if (head->seq != after.seq || (after.seq > 0 && head->hash != after.hash)) {
    return make_error(Errc::kConflict, "append_audit: the log's head is seq " +
                                           std::to_string(head->seq) + ", not the expected " +
                                           std::to_string(after.seq));
  }
  Result<StatementCache::Lease> insert = statements_.get(kInsertEvent, "append_audit");
  if (!insert) return insert.error();
  for (const AuditRecord& r : records) {
    if (Status s = insert_event(**insert, r); !s) return s;
  }
  return tx->commit();
}

Result<AuditHead> SqliteStore::audit_head() {
  std::lock_guard lock(mu_);
  return read_head(statements_);
}

Result<std::vector<AuditRecord>> SqliteStore::read_audit(const AuditQuery& query) {
  std::vector<AuditRecord> out;
  if (query.limit <= kMaxAuditPage) out.reserve(query.limit);
  if (Status s = each_audit_row(query, [&](const Statement& q) { out.push_back(event_row(q)); });
      !s) {
    return s.error();
  }
  return out;
}

Status SqliteStore::read_audit_into(const AuditQuery& query, std::vector<AuditRecord>& rows) {
  std::size_t n = 0;
  Status s = each_audit_row(query, [&](const Statement& q) {
    if (n < rows.size()) {
      assign_row(rows[n], audit_row_view(q));
    } else {
      rows.push_back(event_row(q));
    }
    ++n;
  });
  rows.resize(n);
  return s;
}

Status SqliteStore::each_audit_row(const AuditQuery& query,
                                   const std::function<void(const Statement&)>& each) {
  if (Status s = check_limit(query.limit, "read_audit"); !s) return s;
  if (query.actor_subject || query.stack || query.type || query.decision || query.since ||
      query.until) {
    return each_audit_row_by_bucket(query, each);
  }
  std::lock_guard lock(mu_);
  Result<StatementCache::Lease> select = statements_.get(
      "SELECT seq, time, type, actor_subject, stack, decision, body, hash FROM audit_events"
      " WHERE seq > ?1 ORDER BY seq LIMIT ?2",
      "read_audit");
  if (!select) return select.error();
  Statement& q = **select;
  Status bound = q.bind_int(1, query.after_seq);
  if (bound) bound = q.bind_int(2, static_cast<std::int64_t>(query.limit));
  if (!bound) return bound;

  for (;;) {
    Result<bool> row = q.step();
    if (!row) return row.error();
    if (!*row) return {};
    each(q);
  }
}

// One indexed query per bucket, in seq order, from the cursor's bucket to the head's, until the
// limit is filled. Every bucket before the head's is complete (seqs are consecutive), so a commit
// by another connection during the walk can only add rows past the head read at its start: the
// rows are those of one snapshot of the log, as with a single query. `since` and `until` are
// conditions of each query (on the time bucket index when no column is filtered).
Status SqliteStore::each_audit_row_by_bucket(const AuditQuery& query,
                                             const std::function<void(const Statement&)>& each) {
  const AuditBucketFilters filters{query.since.has_value(),         query.until.has_value(),
                                   query.actor_subject.has_value(), query.stack.has_value(),
                                   query.type.has_value(),          query.decision.has_value()};
  const std::string sql = audit_bucket_query(filters);
  std::optional<std::string> since;
  std::optional<std::string> until;
  if (query.since) since = time_bound(*query.since);
  if (query.until) until = time_bound(*query.until);

  std::lock_guard lock(mu_);
  Result<AuditHead> head = read_head(statements_);
  if (!head) return head.error();
  // Seqs start at 1, so a cursor below 0 means 0 (and must not make the walk start billions of
  // buckets early).
  // `since` and `until` do not narrow the walk: times need not grow with seq (a producer may set
  // an event's time, the clock may step back), so the first seq at or after a time is the minimum
  // over every later row — half a second a million events when it is in the middle — where
  // probing each bucket's index costs a few milliseconds a million events. Each bucket's query
  // checks the times of the rows it matches.
  const std::int64_t after = std::max<std::int64_t>(query.after_seq, 0);
  if (after >= head->seq) return {};

  Result<StatementCache::Lease> select = statements_.get(sql, "read_audit");
  if (!select) return select.error();
  Statement& q = **select;
  std::size_t remaining = query.limit;
  for (std::int64_t bucket = audit_bucket(after + 1); bucket <= audit_bucket(head->seq); ++bucket) {
    q.reset();
    int next = 3;
    Status bound = q.bind_int(1, bucket);
    if (bound) bound = q.bind_int(2, after);
    auto bind = [&](const std::optional<std::string>& value) {
      if (bound && value) bound = q.bind_text(next++, *value);
    };
    bind(since);
    bind(until);
    bind(query.actor_subject);
    bind(query.stack);
    bind(query.type);
    bind(query.decision);
    if (bound) bound = q.bind_int(next, static_cast<std::int64_t>(remaining));
    if (!bound) return bound;
    for (;;) {
      Result<bool> row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      each(q);
      if (--remaining == 0) return {};
    }
  }
  return {};
}

Status SqliteStore::add_audit_checkpoint(const AuditCheckpointRecord& c) {
  std::lock_guard lock(mu_);
  return add_audit_checkpoint_locked(c);
}

Status SqliteStore::add_audit_checkpoint_unsynced(const AuditCheckpointRecord& c) {
  std::lock_guard lock(mu_);
  return without_sync([&] { return add_audit_checkpoint_locked(c); });
}

Status SqliteStore::add_audit_checkpoint_locked(const AuditCheckpointRecord& c) {
  // A checkpoint must not sign a head that may not be durable.
  if (Status refused = refuse_after_failed_sync(); !refused) return refused;
  Result<StatementCache::Lease> insert = statements_.get(
      "INSERT INTO audit_checkpoints (seq, hash, time, kid, jws) VALUES (?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT (seq) DO NOTHING",
      "add_audit_checkpoint");
  if (!insert) return insert.error();
  Statement& q = **insert;
  if (Status s = q.bind_int(1, c.seq); !s) return s;
  if (Status s = q.bind_text(2, c.hash); !s) return s;
  if (Status s = q.bind_text(3, c.time); !s) return s;
  if (Status s = q.bind_text(4, c.kid); !s) return s;
  if (Status s = q.bind_text(5, c.jws); !s) return s;
  if (Status s = q.run(); !s) return s;
  if (sqlite3_changes(db_) == 0) {
    return make_error(Errc::kConflict, "add_audit_checkpoint: a checkpoint for seq " +
                                           std::to_string(c.seq) + " exists");
  }
  return {};
}

Result<std::vector<AuditCheckpointRecord>> SqliteStore::read_audit_checkpoints(
    std::int64_t after_seq, std::size_t limit) {
  if (Status s = check_limit(limit, "read_audit_checkpoints"); !s) return s.error();
  std::lock_guard lock(mu_);
  Result<Statement> select =
      Statement::prepare(db_,
                         "SELECT seq, hash, time, kid, jws FROM audit_checkpoints"
                         " WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                         "read_audit_checkpoints");
  if (!select) return select.error();
  if (Status s = select->bind_int(1, after_seq); !s) return s.error();
  if (Status s = select->bind_int(2, static_cast<std::int64_t>(limit)); !s) return s.error();
  std::vector<AuditCheckpointRecord> out;
  for (;;) {
    Result<bool> row = select->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(AuditCheckpointRecord{select->column_int(0), select->column_text(1),
                                        select->column_text(2), select->column_text(3),
                                        select->column_text(4)});
  }
  return out;
}

}  // namespace sg::store
