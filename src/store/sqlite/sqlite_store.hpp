// SqliteStore is the embedded Store: one SQLite database file in WAL mode.
//
// open() creates the data folder (mode 0700) and the file (mode 0600) when missing, sets WAL,
// synchronous=FULL, foreign keys and the busy timeout, then applies pending migrations, each in its
// own transaction. The WAL is copied into the database file by a WalCheckpointer, on a thread and
// connection of its own, instead of inside a commit. A database at a newer schema version than
// `migrations` knows is refused with kStoreTooNew. An operation that finds the database locked by
// another connection waits at most `busy_timeout`, then fails with kStoreUnavailable. Thread-safe:
// one connection, opened without SQLite's own locking and serialised by `mu_` for every call, error
// messages included; audit readers (open_audit_reader) open read-only connections of their own to
// the same file.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "common/duration.hpp"
#include "common/unique_fd.hpp"
#include "store/migration.hpp"
#include "store/sqlite/statement_cache.hpp"
#include "store/sqlite/wal_checkpointer.hpp"
#include "store/store.hpp"

struct sqlite3;

namespace sg::store {

class Statement;

// The schema of this build, in version order.
std::span<const Migration> sqlite_migrations();

class SqliteStore final : public Store {
 public:
  struct Options {
    std::string path;  // database file; its folder is created with mode 0700 if missing
    Duration busy_timeout = std::chrono::seconds(5);
    WalCheckpointer::Options wal{};  // when the WAL is copied into the database file
  };

  // Errors: kInvalidArgument (empty path), kStoreUnavailable (cannot create or open the file or
  // folder, not WAL-capable, busy or I/O failure while migrating), kStoreTooNew, kInternal (the
  // migration list is not numbered 1..N, or a migration's SQL is wrong — the message names its
  // version and the database stays at the version before it).
  static Result<std::unique_ptr<SqliteStore>> open(const Options& options,
                                                   std::span<const Migration> migrations);
  static Result<std::unique_ptr<SqliteStore>> open(const Options& options) {
    return open(options, sqlite_migrations());
  }
  ~SqliteStore() override;

  std::string_view engine() const override { return "sqlite"; }
  Status ping() override;
  // The thread that checkpoints the WAL (wal_checkpointer.hpp).
  WalCheckpointer& wal_checkpointer() { return *checkpointer_; }
  Result<int> schema_version() override;
  Result<std::optional<std::string>> get_meta(std::string_view key) override;
  Status put_meta(std::string_view key, std::string_view value) override;

  // Audit log and signing keys: sqlite_audit.cpp and sqlite_signing_keys.cpp.
  Status append_audit(const AuditHead& after, std::span<const AuditRecord> records) override;
  // Commits with synchronous=NORMAL: the WAL is written but not fsynced (the store's other
  // writes stay synchronous=FULL).
  Status append_audit_unsynced(const AuditHead& after,
                               std::span<const AuditRecord> records) override;
  // fdatasync of the WAL file, outside the lock, on a descriptor of the store's own. After a
  // failure every later audit append and sync fails (kStoreUnavailable) until the store is opened
  // again: the kernel may have dropped the pages that did not reach the disk, so a later sync that
  // succeeds would prove nothing.
  Status sync_audit() override;
  Result<AuditHead> audit_head() override;
  Result<std::vector<AuditRecord>> read_audit(const AuditQuery& query) override;
  Status read_audit_into(const AuditQuery& query, std::vector<AuditRecord>& rows) override;
  Status add_audit_checkpoint(const AuditCheckpointRecord& checkpoint) override;
  Status add_audit_checkpoint_unsynced(const AuditCheckpointRecord& checkpoint) override;
  Result<std::vector<AuditCheckpointRecord>> read_audit_checkpoints(std::int64_t after_seq,
                                                                    std::size_t limit) override;
  // A read-only connection of its own to the database file (sqlite_audit_reader.hpp).
  Result<std::unique_ptr<AuditReader>> open_audit_reader() override;
  Status add_signing_key(const SigningKeyRecord& key) override;
  Result<std::vector<SigningKeyRecord>> signing_keys(std::string_view purpose) override;

  // Revoked tokens: sqlite_revoked_tokens.cpp.
  Status revoke_token(std::string_view jti, std::int64_t expires_at,
                      std::string_view revoked_at) override;
  Result<std::vector<RevokedToken>> revoked_tokens(std::int64_t now) override;
  Status purge_revoked_tokens(std::int64_t now) override;

  // Runs and their events: sqlite_runs.cpp.
  Result<RunRecord> create_run(const RunRecord& run) override;
  Result<std::optional<RunRecord>> get_run(std::string_view id) override;
  Status update_run(const RunRecord& run, std::string_view expected_status) override;
  Result<std::vector<RunRecord>> list_runs(const RunQuery& query) override;
  Result<std::vector<RunRecord>> runs_with_status(std::span<const std::string> statuses) override;
  Status append_run_events(std::string_view run_id,
                           std::span<const RunEventRecord> events) override;
  Result<std::vector<RunEventRecord>> read_run_events(std::string_view run_id,
                                                      std::int64_t after_seq,
                                                      std::size_t limit) override;

 private:
  SqliteStore(sqlite3* db, Options options, UniqueFd wal,
              std::unique_ptr<WalCheckpointer> checkpointer);

  // append_audit and add_audit_checkpoint, with mu_ held.
  Status append_audit_locked(const AuditHead& after, std::span<const AuditRecord> records);
  Status add_audit_checkpoint_locked(const AuditCheckpointRecord& checkpoint);
  // Runs `write` (with mu_ held) with synchronous=NORMAL, then sets FULL again; if that fails, no
  // audit append is trusted any more (sync_failed_).
  Status without_sync(const std::function<Status()>& write);
  Status refuse_after_failed_sync() const;

  // Runs `query` and hands each row to `row` (columns as audit_records.hpp orders them), under
  // the lock. With a filter on actor, stack, type or decision it walks the index buckets
  // (audit_buckets.hpp).
  Status each_audit_row(const AuditQuery& query, const std::function<void(const Statement&)>& row);
  Status each_audit_row_by_bucket(const AuditQuery& query,
                                  const std::function<void(const Statement&)>& row);

  std::mutex mu_;
  sqlite3* db_;                // guarded by mu_; closed by the destructor
  StatementCache statements_;  // guarded by mu_; of db_, cleared before it closes
  const Options options_;      // as opened: where the file is, for connections of readers
  const UniqueFd wal_;         // the WAL file, for sync_audit
  std::atomic<bool> sync_failed_{false};
  // Told of every commit of db_ by SQLite's WAL hook; stopped before db_ is closed.
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

}  // namespace sg::store
