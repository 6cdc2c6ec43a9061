// Connection owns one raw SQLite connection; open_connection opens one the way every connection of
// the SQLite store is opened.
//
// open_connection turns on extended result codes, marks the schema untrusted (no SQL functions with
// side effects from views or triggers) and sets the busy timeout. The store's own connection
// hardens it further (sqlite_store.cpp); audit readers and the WAL checkpointer use it as it is.
// A Connection is used by one thread at a time; closing waits for nothing (sqlite3_close_v2).
#pragma once

#include <memory>
#include <string>

#include "common/duration.hpp"
#include "common/result.hpp"

struct sqlite3;

namespace sg::store {

struct CloseConnection {
  void operator()(sqlite3* db) const;
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

// Opens `path` with `flags` (SQLITE_OPEN_*; SQLITE_OPEN_NOMUTEX is added). Errors:
// kStoreUnavailable, naming the path.
Result<Connection> open_connection(const std::string& path, int flags, Duration busy_timeout);

}  // namespace sg::store
