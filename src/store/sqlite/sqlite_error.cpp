#include "store/sqlite/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace sg::store {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const std::string_view errstr = sqlite3_errstr(rc);
  std::string message(what);
  message += ": ";
  const char* errmsg = db != nullptr ? sqlite3_errmsg(db) : nullptr;
  if (errmsg != nullptr && errstr != errmsg) {
    message += errmsg;
    message += " (";
    message += errstr;
    message += ")";
  } else {
    message += errstr;
  }
  return make_error(Errc::kStoreUnavailable, std::move(message));
}

bool is_sql_fault(int rc) {
  switch (rc & 0xff) {
    case SQLITE_ERROR:
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_MISUSE:
    case SQLITE_TOOBIG:
      return true;
    default:
      return false;
  }
}

}  // namespace sg::store
