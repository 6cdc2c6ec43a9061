// The migrator brings an SQLite database to the newest schema version a Migration list knows.
//
// The database records each applied version in `schema_version(version, applied_at, description)`;
// its version is MAX(version), 0 for a new database. Each pending migration runs in its own
// BEGIN IMMEDIATE transaction together with its version row, and the version is re-read inside that
// transaction, so two processes opening the same database at once apply each migration once.
// Migration SQL must not contain transaction control (BEGIN, COMMIT, ROLLBACK).
// Not thread-safe: the caller owns the connection exclusively while migrating.
#pragma once

#include <span>

#include "common/result.hpp"
#include "store/migration.hpp"

struct sqlite3;

namespace sg::store {

// Checks that `migrations` is non-empty and numbered 1..N in order. Errors: kInternal.
Status validate_migrations(std::span<const Migration> migrations);

// MAX(version) of `schema_version`; 0 when the table is empty. Errors: kStoreUnavailable.
Result<int> read_schema_version(sqlite3* db);

// Applies every migration newer than the database's version, in order.
// Errors: kInternal (invalid list, or a migration's SQL is wrong), kStoreTooNew (the database is at
// a version newer than the list's last), kStoreUnavailable (the database failed, e.g. busy or I/O).
// A failing migration is rolled back whole; the error names its version and the database stays at
// the version before it.
Status migrate(sqlite3* db, std::span<const Migration> migrations);

}  // namespace sg::store
