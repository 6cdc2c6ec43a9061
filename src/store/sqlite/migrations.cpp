// The schema of the SQLite store, one Migration per version. Append new versions at the end; never
// edit one that has shipped.
#include <array>

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

constexpr std::array kMigrations = {
    Migration{1, "installation metadata", kV1Meta},
    Migration{2, "audit log and signing keys", kV2Audit},
    Migration{3, "public signing keys and revoked tokens", kV3Keys},
    Migration{4, "runs", kV4Runs},
};

}  // namespace

std::span<const Migration> sqlite_migrations() {
  return kMigrations;
}

}  // namespace sg::store
