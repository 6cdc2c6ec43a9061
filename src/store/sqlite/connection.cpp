#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <climits>

#include "store/sqlite/sqlite_error.hpp"

namespace sg::store {

void CloseConnection::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}

Result<Connection> open_connection(const std::string& path, int flags, Duration busy_timeout) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) return sqlite_error(db.get(), rc, "sqlite: cannot open " + path);
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  const auto ms = std::clamp<Duration::rep>(busy_timeout.count(), 0, INT_MAX);
  if (int set = sqlite3_busy_timeout(db.get(), static_cast<int>(ms)); set != SQLITE_OK) {
    return sqlite_error(db.get(), set, "sqlite: set busy timeout");
  }
  return db;
}

}  // namespace sg::store
