// Store is stackgate's durable state behind one interface, with an SQLite implementation (the
// embedded default) and a PostgreSQL one for several replicas.
//
// The app owns the one Store and hands references to the services that need it. Each later layer
// adds the operations it needs here (audit append, runs, keys…), implemented by every engine and
// covered by the shared store tests. Every operation reports an unreachable or failing database as
// kStoreUnavailable so callers can fail closed. Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/audit_reader.hpp"
#include "store/audit_records.hpp"
#include "store/revoked_token.hpp"
#include "store/run_record.hpp"
#include "store/signing_key_record.hpp"

namespace sg::store {

class Store {
 public:
  virtual ~Store() = default;

  // The engine name, e.g. "sqlite".
  virtual std::string_view engine() const = 0;

  // Cheap round trip to the database, for /readyz. Errors: kStoreUnavailable.
  virtual Status ping() = 0;

  // The schema version the database is at (after migrations).
  virtual Result<int> schema_version() = 0;

  // Small key/value metadata about this installation (e.g. "instance_id", "created_at").
  // Errors: kStoreUnavailable.
  virtual Result<std::optional<std::string>> get_meta(std::string_view key) = 0;
  virtual Status put_meta(std::string_view key, std::string_view value) = 0;

  // --- Audit log (rows only; audit/ gives them meaning; see store/audit_records.hpp) ---

  // Appends `records` in one transaction (group commit), all or none: durable when this returns
  // OK. The records must be numbered after.seq + 1, after.seq + 2, … and the stored head must still
  // be `after` (its seq, and its hash unless the log is empty) when the transaction starts.
  // Errors: kInvalidArgument (records misnumbered), kConflict (the head is not `after`: another
  // writer appended first), kStoreUnavailable.
  virtual Status append_audit(const AuditHead& after, std::span<const AuditRecord> records) = 0;

  // append_audit, except that the records may not be durable yet when it returns OK: they are
  // once a sync_audit() that began after it returned has returned OK. Until then other readers may
  // already see them; after a power loss they may be gone (with everything appended after them),
  // never half there. This lets the next batch be inserted while this one is synced
  // (audit/sync_worker.hpp). An engine whose appends are durable anyway keeps this default.
  virtual Status append_audit_unsynced(const AuditHead& after,
                                       std::span<const AuditRecord> records) {
    return append_audit(after, records);
  }

  // Makes every append_audit_unsynced that returned before this call durable. May run on another
  // thread beside any other operation. Errors: kStoreUnavailable — then nothing appended unsynced
  // since the last successful sync can be trusted to be durable, and an engine may refuse every
  // later audit append (SQLite does, until the gateway restarts).
  virtual Status sync_audit() { return {}; }

  // The last stored event. Errors: kStoreUnavailable.
  virtual Result<AuditHead> audit_head() = 0;

  // Events matching `query`, in seq order. Errors: kInvalidArgument (limit), kStoreUnavailable.
  virtual Result<std::vector<AuditRecord>> read_audit(const AuditQuery& query) = 0;

  // read_audit into `rows`, replacing what it held: an engine may reuse the memory of the records
  // there, which saves a reader of many pages (verification) an allocation per column. Errors: as
  // read_audit; `rows` is unspecified after one.
  virtual Status read_audit_into(const AuditQuery& query, std::vector<AuditRecord>& rows) {
    Result<std::vector<AuditRecord>> read = read_audit(query);
    if (!read) return read.error();
    rows = std::move(*read);
    return {};
  }

  // A reader of audit events by seq range (store/audit_reader.hpp) for one thread. An engine may
  // open it a connection of its own, so that several read side by side; by default it reads
  // through read_audit_into. Errors: kStoreUnavailable.
  virtual Result<std::unique_ptr<AuditReader>> open_audit_reader() {
    return std::unique_ptr<AuditReader>(std::make_unique<PagedAuditReader>(*this));
  }

  // Stores a checkpoint. Errors: kConflict (one exists for that seq), kStoreUnavailable.
  virtual Status add_audit_checkpoint(const AuditCheckpointRecord& checkpoint) = 0;

  // add_audit_checkpoint, durable with the next sync_audit() (as append_audit_unsynced is). The
  // AuditWriter stores the checkpoint of a batch it has just appended this way, so one fsync
  // covers both.
  virtual Status add_audit_checkpoint_unsynced(const AuditCheckpointRecord& checkpoint) {
    return add_audit_checkpoint(checkpoint);
  }

  // Checkpoints with seq > `after_seq`, in seq order, at most `limit` (1..kMaxAuditPage).
  // Errors: kInvalidArgument (limit), kStoreUnavailable.
  virtual Result<std::vector<AuditCheckpointRecord>> read_audit_checkpoints(std::int64_t after_seq,
                                                                            std::size_t limit) = 0;

  // --- The gateway's own signing keys (see store/signing_key_record.hpp) ---

  // Stores a new key. Errors: kConflict (the kid exists), kStoreUnavailable.
  virtual Status add_signing_key(const SigningKeyRecord& key) = 0;

  // Every key of `purpose`, newest first (the first is the current one). Errors: kStoreUnavailable.
  virtual Result<std::vector<SigningKeyRecord>> signing_keys(std::string_view purpose) = 0;

  // --- Revoked gateway-issued tokens (see store/revoked_token.hpp) ---

  // Records that the token `jti` is revoked until `expires_at` (unix seconds). Idempotent: revoking
  // again keeps the first revoked_at and the later expires_at. Errors: kStoreUnavailable.
  virtual Status revoke_token(std::string_view jti, std::int64_t expires_at,
                              std::string_view revoked_at) = 0;

  // The entries with expires_at > `now` (unix seconds), in jti order. Errors: kStoreUnavailable.
  virtual Result<std::vector<RevokedToken>> revoked_tokens(std::int64_t now) = 0;

  // Deletes the entries with expires_at <= `now`. Errors: kStoreUnavailable.
  virtual Status purge_revoked_tokens(std::int64_t now) = 0;

  // --- Pulumi runs (see store/run_record.hpp) ---

  // Stores a new run and returns it with its queue_seq assigned (the record's own is ignored).
  // Errors: kConflict (the id exists), kStoreUnavailable.
  virtual Result<RunRecord> create_run(const RunRecord& run) = 0;

  // The run with `id`, or nullopt. Errors: kStoreUnavailable.
  virtual Result<std::optional<RunRecord>> get_run(std::string_view id) = 0;

  // Replaces every field of the stored run `run.id` except id, queue_seq, stack, operation,
  // requester, principal and created_at, but only while its stored status is still
  // `expected_status` (compare-and-set: two gateways, or a cancel racing a start, cannot both win).
  // Errors: kNotFound (no such run), kConflict (its status is no longer `expected_status`),
  // kStoreUnavailable.
  virtual Status update_run(const RunRecord& run, std::string_view expected_status) = 0;

  // Runs matching `query`, newest first; none when `query.statuses` is set but empty.
  // Errors: kInvalidArgument (limit, more than kMaxRunStatuses statuses), kStoreUnavailable.
  virtual Result<std::vector<RunRecord>> list_runs(const RunQuery& query) = 0;

  // Every run whose status is one of `statuses`, oldest first (queue_seq ascending): what the
  // scheduler and start-up recovery work through. Errors: kInvalidArgument (more than
  // kMaxRunStatuses statuses), kStoreUnavailable.
  virtual Result<std::vector<RunRecord>> runs_with_status(
      std::span<const std::string> statuses) = 0;

  // Appends engine events to run `run_id`, in one transaction, all or none. They must be numbered
  // after the run's last stored event (1 for the first). Appending no events does nothing.
  // Errors: kInvalidArgument (misnumbered), kNotFound (no such run), kStoreUnavailable.
  virtual Status append_run_events(std::string_view run_id,
                                   std::span<const RunEventRecord> events) = 0;

  // Events of run `run_id` with seq > `after_seq`, in seq order, at most `limit`
  // (1..kMaxRunEventPage). Errors: kInvalidArgument (limit), kStoreUnavailable.
  virtual Result<std::vector<RunEventRecord>> read_run_events(std::string_view run_id,
                                                              std::int64_t after_seq,
                                                              std::size_t limit) = 0;
};

}  // namespace sg::store
