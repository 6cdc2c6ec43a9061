#include "store/sqlite/sqlite_audit_reader.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <climits>

#include "store/sqlite/sqlite_error.hpp"

namespace sg::store {
namespace {

constexpr std::string_view kSelectRange =
    "SELECT seq, time, type, actor_subject, stack, decision, body, hash FROM audit_events"
    " WHERE seq > ?1 AND seq <= ?2 ORDER BY seq";

std::optional<std::string_view> optional_view(const Statement& q, int column) {
  return q.column_view_or_null(column);
}

// A NOT NULL column.
std::string_view view(const Statement& q, int column) {
  return q.column_view_or_null(column).value_or(std::string_view());
}

// Resets the statement when the read ends however it ends, which ends its read transaction: a
// reader between reads does not hold back the WAL checkpoints of the store's connection.
struct ResetOnExit {
  Statement& statement;
  ~ResetOnExit() { statement.reset(); }
};

}  // namespace

void SqliteAuditReader::CloseDb::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}

Result<std::unique_ptr<SqliteAuditReader>> SqliteAuditReader::open(const std::string& path,
                                                                   Duration busy_timeout) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<sqlite3, CloseDb> db(raw);
  if (rc != SQLITE_OK) return sqlite_error(db.get(), rc, "sqlite: cannot open " + path);
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  const auto ms = std::clamp<Duration::rep>(busy_timeout.count(), 0, INT_MAX);
  if (int set = sqlite3_busy_timeout(db.get(), static_cast<int>(ms)); set != SQLITE_OK) {
    return sqlite_error(db.get(), set, "sqlite: set busy timeout");
  }
  Result<Statement> select = Statement::prepare(db.get(), kSelectRange, "read_audit_range");
  if (!select) return select.error();
  return std::unique_ptr<SqliteAuditReader>(
      new SqliteAuditReader(std::move(db), std::move(*select)));
}

Status SqliteAuditReader::read(std::int64_t after_seq, std::int64_t through_seq,
                               const std::function<void(const AuditRowView&)>& each) {
  ResetOnExit reset{select_};
  if (Status s = select_.bind_int(1, after_seq); !s) return s;
  if (Status s = select_.bind_int(2, through_seq); !s) return s;
  for (;;) {
    Result<bool> row = select_.step();
    if (!row) return row.error();
    if (!*row) return {};
    const Statement& q = select_;
    each(AuditRowView{q.column_int(0), view(q, 1), view(q, 2), optional_view(q, 3),
                      optional_view(q, 4), optional_view(q, 5), view(q, 6), view(q, 7)});
  }
}

}  // namespace sg::store
