// The schema of the SQLite store, one Migration per version. Append new versions at the end; never
// edit one that has shipped.
#include <array>

#include "store/sqlite/audit_buckets.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace sg::store {
namespace {

// Version 1: installation metadata. instance_id is 128 random bits from SQLite's generator (seeded
// from the OS), created_at the creation time in RFC 3339 UTC with milliseconds, as
// sg::format_rfc3339 writes it. Both are set once and kept on every later open.
constexpr std::string_view kV1Meta = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('instance_id', lower(hex(randomblob(16))));
INSERT OR IGNORE INTO meta (key, value)
  VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
)sql";

// Version 2: the audit log (store/audit_records.hpp) and the gateway's signing keys
// (store/signing_key_record.hpp). Events and checkpoints are append-only: triggers refuse UPDATE
// and DELETE, so no code path of ours can change them by mistake. Someone with the file can drop
// the triggers; the hash chain and signed checkpoints are what detect that (audit/verify.hpp).
// The indexes serve GET /v1/audit's filters; SQLite appends the rowid (= seq) to every index
// entry, so each filter reads its matches in seq order.
constexpr std::string_view kV2Audit = R"sql(
CREATE TABLE audit_events (
  seq           INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
  time          TEXT NOT NULL,
  type          TEXT NOT NULL,
  actor_subject TEXT,
  stack         TEXT,
  decision      TEXT,
  body          TEXT NOT NULL,
  hash          TEXT NOT NULL
);
CREATE INDEX audit_events_time ON audit_events (time);
CREATE INDEX audit_events_type ON audit_events (type);
CREATE INDEX audit_events_actor ON audit_events (actor_subject);
CREATE INDEX audit_events_stack ON audit_events (stack);
CREATE INDEX audit_events_decision ON audit_events (decision);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TABLE audit_checkpoints (
  seq  INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
  hash TEXT NOT NULL,
  time TEXT NOT NULL,
  kid  TEXT NOT NULL,
  jws  TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;

CREATE TABLE signing_keys (
  kid         TEXT PRIMARY KEY NOT NULL,
  purpose     TEXT NOT NULL,
  algorithm   TEXT NOT NULL,
  private_pem TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX signing_keys_purpose ON signing_keys (purpose, created_at);
)sql";

// Version 3: signing keys keep their public JWK (so they can be listed and verified without the
// key-encryption key that may seal private_pem), and the list of revoked gateway-issued tokens
// (store/revoked_token.hpp), each kept until the token's own expiry.
constexpr std::string_view kV3Keys = R"sql(
ALTER TABLE signing_keys ADD COLUMN public_jwk TEXT NOT NULL DEFAULT '';
CREATE TABLE revoked_tokens (
  jti        TEXT PRIMARY KEY NOT NULL,
  expires_at INTEGER NOT NULL, -- unix seconds
  revoked_at TEXT NOT NULL
);
CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);
)sql";

// Version 4: Pulumi runs and their engine events (store/run_record.hpp). queue_seq is the rowid;
// AUTOINCREMENT keeps a number from being handed out twice, even after the newest run is deleted.
// The indexes serve list_runs' filters and runs_with_status; SQLite appends the rowid
// (= queue_seq) to every index entry, so each reads its matches in queue_seq order. Events are
// append-only like the audit log; run_id names a row of `runs`, which append_run_events checks in
// its transaction.
constexpr std::string_view kV4Runs = R"sql(
CREATE TABLE runs (
  queue_seq           INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  id                  TEXT NOT NULL UNIQUE,
  stack               TEXT NOT NULL,
  operation           TEXT NOT NULL,
  status              TEXT NOT NULL,
  message             TEXT NOT NULL,
  requester           TEXT NOT NULL,
  principal           TEXT NOT NULL,
  approval            TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  started_at          TEXT NOT NULL,
  finished_at         TEXT NOT NULL,
  expires_at          TEXT NOT NULL,
  cancel_requested_by TEXT NOT NULL,
  pid                 INTEGER NOT NULL,
  exit_code           INTEGER,
  reason              TEXT NOT NULL,
  summary             TEXT NOT NULL
);
CREATE INDEX runs_stack ON runs (stack);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_requester ON runs (requester);

CREATE TABLE run_events (
  run_id TEXT NOT NULL,
  seq    INTEGER NOT NULL CHECK (seq >= 1),
  line   TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER run_events_no_update BEFORE UPDATE ON run_events
  BEGIN SELECT RAISE(ABORT, 'run events are append-only'); END;
CREATE TRIGGER run_events_no_delete BEFORE DELETE ON run_events
  BEGIN SELECT RAISE(ABORT, 'run events are append-only'); END;
)sql";

// Version 5: the audit log's indexes on type, actor_subject, stack and decision become bucketed
// expression indexes on (seq >> 12, column) (store/sqlite/audit_buckets.hpp): a batch of appends
// then writes its index entries into the newest bucket's region of each index instead of into one
// random page per distinct value, which made these four indexes most of an append's cost. A
// filtered read walks the buckets in seq order, one indexed query per bucket; within a bucket
// SQLite orders entries by (column, rowid = seq). The time index stays: times grow with seq (but
// for submissions racing by a few microseconds), so its entries already go to its end. Existing
// databases rebuild the four indexes here (10 s for a million events, docs/operations.md).
constexpr std::string_view kV5AuditBuckets = R"sql(
DROP INDEX audit_events_type;
DROP INDEX audit_events_actor;
DROP INDEX audit_events_stack;
DROP INDEX audit_events_decision;
CREATE INDEX audit_events_type_bucket ON audit_events (seq >> 12, type);
CREATE INDEX audit_events_actor_bucket ON audit_events (seq >> 12, actor_subject);
CREATE INDEX audit_events_stack_bucket ON audit_events (seq >> 12, stack);
CREATE INDEX audit_events_decision_bucket ON audit_events (seq >> 12, decision);
)sql";

// Version 6: the time index is bucketed too, `(seq >> 12, time)`, so a read bounded by `since` or
// `until` alone also walks the buckets, with one indexed query per bucket, instead of reading
// every event on the wrong side of the bound (times need not grow with seq, so the plain index
// could not say where in seq order a time begins). Existing databases rebuild it here.
constexpr std::string_view kV6AuditTimeBuckets = R"sql(
DROP INDEX audit_events_time;
CREATE INDEX audit_events_time_bucket ON audit_events (seq >> 12, time);
)sql";

// The index expressions above and the queries of sqlite_audit.cpp must spell the same bucket.
constexpr std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos;
       at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}
static_assert(occurrences(kV5AuditBuckets, kAuditBucketSql) == 4,
              "migration 5 indexes the bucket kAuditBucketSql names");
static_assert(occurrences(kV6AuditTimeBuckets, kAuditBucketSql) == 1,
              "migration 6 indexes the bucket kAuditBucketSql names");

constexpr std::array kMigrations = {
    Migration{1, "installation metadata", kV1Meta},
    Migration{2, "audit log and signing keys", kV2Audit},
    Migration{3, "public signing keys and revoked tokens", kV3Keys},
    Migration{4, "runs", kV4Runs},
    Migration{5, "bucketed audit indexes", kV5AuditBuckets},
    Migration{6, "bucketed audit time index", kV6AuditTimeBuckets},
};

}  // namespace

std::span<const Migration> sqlite_migrations() {
  return kMigrations;
}

}  // namespace sg::store
