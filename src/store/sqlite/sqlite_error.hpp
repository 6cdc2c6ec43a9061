// sqlite_error turns a failed SQLite call into an sg::Error; it is the only place that words them.
//
// Messages say what failed and SQLite's own words (sqlite3_errmsg / sqlite3_errstr), never a bound
// value. Used by the SQLite store's own files only. Pure functions; thread-safe as long as the
// caller holds the connection's lock (sqlite3_errmsg reads per-connection state).
#pragma once

#include <string_view>

#include "common/result.hpp"

struct sqlite3;

namespace sg::store {

// kStoreUnavailable with "<what>: <errmsg> (<errstr>)". `db` may be null (then only errstr is
// used).
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

// True when `rc` says the SQL itself is wrong (syntax, unknown table, constraint, misuse) rather
// than the database being busy, full, unreadable or gone.
bool is_sql_fault(int rc);

}  // namespace sg::store
