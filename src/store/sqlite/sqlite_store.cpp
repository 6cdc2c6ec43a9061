#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/database_file.hpp"
#include "store/sqlite/migrator.hpp"
#include "store/sqlite/sqlite_audit_reader.hpp"
#include "store/sqlite/sqlite_error.hpp"
#include "store/sqlite/statement.hpp"

namespace sg::store {
namespace {

// Runs a PRAGMA that answers with one value and checks the answer.
Status set_pragma(sqlite3* db, std::string_view sql, std::string_view expected,
                  std::string_view what) {
  Result<Statement> pragma = Statement::prepare(db, sql, what);
  if (!pragma) return pragma.error();
  Result<bool> row = pragma->step();
  if (!row) return row.error();
  const std::string answer = *row ? pragma->column_text(0) : std::string();
  if (answer != expected) {
    return make_error(
        Errc::kStoreUnavailable,
        std::string(what) + ": expected \"" + std::string(expected) + "\", got \"" + answer + "\"");
  }
  return {};
}

Status run_one(sqlite3* db, std::string_view sql, std::string_view what) {
  Result<Statement> statement = Statement::prepare(db, sql, what);
  if (!statement) return statement.error();
  return statement->run();
}

void harden(sqlite3* db) {
  // No writes to the schema through PRAGMA writable_schema and friends; string literals in single
  // quotes only, so a misspelt column name is an error instead of a string.
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
}

// Switches the database to WAL and checks that it really is: the pragma answers with the mode it
// chose, e.g. "delete" where WAL is impossible (no shared memory on the filesystem). While another
// connection opens the same new database, SQLite answers SQLITE_BUSY at once, without the busy
// handler, so this retries for up to the busy timeout.
Status enable_wal(sqlite3* db, Duration busy_timeout) {
  constexpr std::string_view kWhat = "sqlite: journal_mode=WAL";
  constexpr int kPauseMs = 5;
  const Duration::rep attempts = std::max<Duration::rep>(busy_timeout.count() / kPauseMs, 0) + 1;
  for (Duration::rep attempt = 1;; ++attempt) {
    Result<Statement> pragma = Statement::prepare(db, "PRAGMA journal_mode=WAL", kWhat);
    if (!pragma) return pragma.error();
    Result<bool> row = pragma->step();
    if (row) {
      const std::string mode = *row ? pragma->column_text(0) : std::string();
      if (mode == "wal") return {};
      return make_error(Errc::kStoreUnavailable,
                        std::string(kWhat) + ": the database stayed in journal mode \"" + mode +
                            "\" (WAL needs a local filesystem with shared memory)");
    }
    if ((sqlite3_errcode(db) & 0xff) != SQLITE_BUSY || attempt >= attempts) return row.error();
    sqlite3_sleep(kPauseMs);
  }
}

Status configure(sqlite3* db, Duration busy_timeout) {
  // 16 KiB pages (effective when the file is created, before WAL): the audit log's indexes take
  // entries in random places, and larger pages mean fewer pages written per commit.
  if (Status s = run_one(db, "PRAGMA page_size=16384", "sqlite: page_size"); !s) return s;
  if (Status wal = enable_wal(db, busy_timeout); !wal) return wal;
  // A 64 MiB page cache keeps the indexes' hot pages in memory. Until open() installs the WAL
  // checkpointer, SQLite's automatic checkpoint (every 1,000 pages) serves the migrations.
  if (Status s = run_one(db, "PRAGMA cache_size=-65536", "sqlite: cache_size"); !s) return s;
  if (Status s = run_one(db, "PRAGMA synchronous=FULL", "sqlite: synchronous=FULL"); !s) return s;
  if (Status s = set_pragma(db, "PRAGMA synchronous", "2", "sqlite: synchronous=FULL"); !s) {
    return s;
  }
  if (Status s = run_one(db, "PRAGMA foreign_keys=ON", "sqlite: foreign_keys=ON"); !s) return s;
  return set_pragma(db, "PRAGMA foreign_keys", "1", "sqlite: foreign_keys=ON");
}

// SQLite's WAL hook, after each commit of the store's connection: tells the checkpointer, and
// checkpoints right here when the WAL has outgrown it. Returns SQLITE_OK whatever happens: the
// commit has been made, and a checkpoint that fails only leaves pages in the WAL.
int after_commit(void* checkpointer, sqlite3* db, const char* schema, int wal_pages) {
  if (static_cast<WalCheckpointer*>(checkpointer)->committed(wal_pages)) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

// The store's WAL file (SQLite names it: the database's path and "-wal"), which exists once the
// connection has read the database in WAL mode. Read-only is enough for fdatasync.
Result<UniqueFd> open_wal(sqlite3* db) {
  const char* path = sqlite3_filename_wal(sqlite3_db_filename(db, "main"));
  if (path == nullptr || *path == '\0') {
    return make_error(Errc::kStoreUnavailable, "sqlite: the database has no write-ahead log file");
  }
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    const int err = errno;
    return make_error(
        Errc::kStoreUnavailable,
        std::string("sqlite: cannot open the write-ahead log ") + path + ": " + std::strerror(err));
  }
  return fd;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const Options& options,
                                                       std::span<const Migration> migrations) {
  if (options.path.empty()) {
    return make_error(Errc::kInvalidArgument, "sqlite: the database path is empty");
  }
  if (Status valid = validate_migrations(migrations); !valid) return valid.error();
  if (Status file = prepare_database_file(options.path); !file) return file.error();

  Result<Connection> db = open_connection(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                          options.busy_timeout);
  if (!db) return db.error();
  harden(db->get());
  if (Status s = configure(db->get(), options.busy_timeout); !s) return s.error();
  if (Status s = migrate(db->get(), migrations); !s) return s.error();
  Result<UniqueFd> wal = open_wal(db->get());
  if (!wal) return wal.error();
  Result<std::unique_ptr<WalCheckpointer>> checkpointer =
      WalCheckpointer::start(options.path, options.busy_timeout, options.wal);
  if (!checkpointer) return checkpointer.error();
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(db->release(), options, std::move(*wal), std::move(*checkpointer)));
}

SqliteStore::SqliteStore(sqlite3* db, Options options, UniqueFd wal,
                         std::unique_ptr<WalCheckpointer> checkpointer)
    : db_(db),
      statements_(db),
      options_(std::move(options)),
      wal_(std::move(wal)),
      checkpointer_(std::move(checkpointer)) {
  // Replaces SQLite's automatic checkpoint (wal_checkpointer.hpp).
  sqlite3_wal_hook(db_, after_commit, checkpointer_.get());
}

SqliteStore::~SqliteStore() {
  sqlite3_wal_hook(db_, nullptr, nullptr);
  checkpointer_.reset();
  statements_.clear();
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<AuditReader>> SqliteStore::open_audit_reader() {
  Result<std::unique_ptr<SqliteAuditReader>> reader =
      SqliteAuditReader::open(options_.path, options_.busy_timeout);
  if (!reader) return reader.error();
  return std::unique_ptr<AuditReader>(std::move(*reader));
}

Status SqliteStore::ping() {
  std::lock_guard lock(mu_);
  // Reads a page of the file, so a database that became unreadable fails here.
  Result<StatementCache::Lease> query =
      statements_.get("SELECT 1 FROM schema_version LIMIT 1", "ping");
  if (!query) return query.error();
  Result<bool> row = (*query)->step();
  if (!row) return row.error();
  return {};
}

Result<int> SqliteStore::schema_version() {
  std::lock_guard lock(mu_);
  return read_schema_version(db_);
}

Result<std::optional<std::string>> SqliteStore::get_meta(std::string_view key) {
  std::lock_guard lock(mu_);
  Result<Statement> query =
      Statement::prepare(db_, "SELECT value FROM meta WHERE key = ?1", "get_meta");
  if (!query) return query.error();
  if (Status s = query->bind_text(1, key); !s) return s.error();
  Result<bool> row = query->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(query->column_text(0));
}

Status SqliteStore::put_meta(std::string_view key, std::string_view value) {
  std::lock_guard lock(mu_);
  Result<Statement> upsert =
      Statement::prepare(db_,
                         "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                         " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         "put_meta");
  if (!upsert) return upsert.error();
  if (Status s = upsert->bind_text(1, key); !s) return s;
  if (Status s = upsert->bind_text(2, value); !s) return s;
  return upsert->run();
}

}  // namespace sg::store
