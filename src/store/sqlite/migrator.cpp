#include "store/sqlite/migrator.hpp"

#include <sqlite3.h>

#include <limits>
#include <string>

#include "store/sqlite/sqlite_error.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/transaction.hpp"

namespace sg::store {
namespace {

constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER NOT NULL,"
    " applied_at TEXT NOT NULL,"
    " description TEXT NOT NULL)";

constexpr std::string_view kInsertVersion =
    "INSERT INTO schema_version (version, applied_at, description)"
    " VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?2)";

std::string migration_name(const Migration& m) {
  return "migration " + std::to_string(m.version) + " (" + std::string(m.description) + ")";
}

Error too_new(int found, int newest) {
  return make_error(Errc::kStoreTooNew, "database schema version " + std::to_string(found) +
                                            " is newer than this stackgate (knows up to " +
                                            std::to_string(newest) + "); upgrade stackgate");
}

// Runs every statement of a schema script in order. SQL faults are kInternal (the script is wrong),
// anything else kStoreUnavailable.
Status run_script(sqlite3* db, std::string_view sql, const std::string& what) {
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return make_error(Errc::kInternal, what + " failed: script too long");
  }
  const char* next = sql.data();
  const char* const end = sql.data() + sql.size();
  while (next < end) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db, next, static_cast<int>(end - next), &raw, &tail);
    if (rc == SQLITE_OK && raw != nullptr) {
      do {
        rc = sqlite3_step(raw);
      } while (rc == SQLITE_ROW);
      if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    Error error;
    if (rc != SQLITE_OK) {
      error = sqlite_error(db, rc, what + " failed");
      if (is_sql_fault(rc)) error.code = Errc::kInternal;
    }
    sqlite3_finalize(raw);
    if (rc != SQLITE_OK) return error;
    if (tail == nullptr || tail <= next) break;  // only whitespace or comments were left
    next = tail;
  }
  return {};
}

// Applies `m` unless another connection already did. `newest` is the last version the list knows.
Status apply(sqlite3* db, const Migration& m, int newest) {
  const std::string what = migration_name(m);
  Result<Transaction> tx = Transaction::begin_immediate(db, "migration: begin");
  if (!tx) return make_error(tx.code(), what + " failed: " + tx.error().message);

  Result<int> version = read_schema_version(db);
  if (!version) return version.error();
  if (*version > newest) return too_new(*version, newest);
  if (*version >= m.version) return tx->commit();  // another process applied it meanwhile
  if (*version != m.version - 1) {
    return make_error(Errc::kInternal, what + " failed: database is at version " +
                                           std::to_string(*version) + ", expected " +
                                           std::to_string(m.version - 1));
  }

  if (Status ran = run_script(db, m.sql, what); !ran) return ran;
  if (sqlite3_get_autocommit(db) != 0) {
    return make_error(Errc::kInternal,
                      what + " failed: it ended its transaction (no BEGIN/COMMIT in migrations)");
  }

  Result<Statement> insert = Statement::prepare(db, kInsertVersion, "migration: record version");
  if (!insert) return insert.error();
  if (Status s = insert->bind_int(1, m.version); !s) return s;
  if (Status s = insert->bind_text(2, m.description); !s) return s;
  if (Status s = insert->run(); !s) return s;

  if (Status committed = tx->commit(); !committed) {
    return make_error(committed.code(), what + " failed: " + committed.error().message);
  }
  return {};
}

}  // namespace

Status validate_migrations(std::span<const Migration> migrations) {
  if (migrations.empty()) return make_error(Errc::kInternal, "migration list is empty");
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (migrations[i].version != expected) {
      return make_error(Errc::kInternal, "migration list is invalid: expected version " +
                                             std::to_string(expected) + " at position " +
                                             std::to_string(i + 1) + ", found " +
                                             std::to_string(migrations[i].version));
    }
  }
  return {};
}

Result<int> read_schema_version(sqlite3* db) {
  Result<Statement> query = Statement::prepare(
      db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", "read schema version");
  if (!query) return query.error();
  Result<bool> row = query->step();
  if (!row) return row.error();
  const std::int64_t version = *row ? query->column_int(0) : 0;
  if (version < 0 || version > std::numeric_limits<int>::max()) {
    return make_error(Errc::kStoreUnavailable,
                      "read schema version: recorded version is out of range");
  }
  return static_cast<int>(version);
}

Status migrate(sqlite3* db, std::span<const Migration> migrations) {
  if (Status valid = validate_migrations(migrations); !valid) return valid;
  {
    Result<Statement> create = Statement::prepare(db, kCreateVersionTable, "create schema_version");
    if (!create) return create.error();
    if (Status created = create->run(); !created) return created;
  }
  Result<int> current = read_schema_version(db);
  if (!current) return current.error();
  const int newest = migrations.back().version;
  if (*current > newest) return too_new(*current, newest);
  for (const Migration& m : migrations) {
    if (m.version <= *current) continue;
    if (Status applied = apply(db, m, newest); !applied) return applied;
  }
  return {};
}

}  // namespace sg::store
