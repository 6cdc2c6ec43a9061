#include "store/sqlite/sqlite_audit_reader.hpp"

#include <sqlite3.h>

namespace sg::store {
namespace {

constexpr std::string_view kSelectRange =
    "SELECT seq, time, type, actor_subject, stack, decision, body, hash FROM audit_events"
    " WHERE seq > ?1 AND seq <= ?2 ORDER BY seq";

// Resets the statement when the read ends however it ends, which ends its read transaction: a
// reader between reads does not hold back the WAL checkpoints of the store's connection.
struct ResetOnExit {
  Statement& statement;
  ~ResetOnExit() { statement.reset(); }
};

}  // namespace

AuditRowView audit_row_view(const Statement& q) {
  // A NOT NULL column.
  const auto view = [&q](int column) {
    return q.column_view_or_null(column).value_or(std::string_view());
  };
  return AuditRowView{q.column_int(0),
                      view(1),
                      view(2),
                      q.column_view_or_null(3),
                      q.column_view_or_null(4),
                      q.column_view_or_null(5),
                      view(6),
                      view(7)};
}

Result<std::unique_ptr<SqliteAuditReader>> SqliteAuditReader::open(const std::string& path,
                                                                   Duration busy_timeout) {
  Result<Connection> db = open_connection(path, SQLITE_OPEN_READONLY, busy_timeout);
  if (!db) return db.error();
  Result<Statement> select = Statement::prepare(db->get(), kSelectRange, "read_audit_range");
  if (!select) return select.error();
  return std::unique_ptr<SqliteAuditReader>(
      new SqliteAuditReader(std::move(*db), std::move(*select)));
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
    each(audit_row_view(select_));
  }
}

}  // namespace sg::store
