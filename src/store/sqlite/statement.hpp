// Statement owns one prepared SQLite statement and finalizes it whatever happens.
//
// Every query of the SQLite store goes through it: values are bound as parameters, never spliced
// into SQL text. Errors are kStoreUnavailable worded by sqlite_error() with the caller's static
// label, never a bound value. Move-only. Not thread-safe: the caller holds the connection's lock
// for the statement's whole life, from prepare to destruction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sg::store {

class Statement {
 public:
  // Prepares the single statement `sql`. `what` labels errors and must outlive the Statement (use a
  // string literal). Errors: kStoreUnavailable.
  static Result<Statement> prepare(sqlite3* db, std::string_view sql, std::string_view what);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds parameter `index` (1-based). Errors: kStoreUnavailable.
  Status bind_text(int index, std::string_view value);
  Status bind_int(int index, std::int64_t value);
  Status bind_null(int index);
  // Binds the value, or NULL when there is none.
  Status bind_optional_text(int index, const std::optional<std::string>& value);

  // Runs one step: true when a row is ready, false when the statement is done.
  // Errors: kStoreUnavailable.
  Result<bool> step();
  // Steps until done, ignoring rows. Errors: kStoreUnavailable.
  Status run();
  // Makes the statement ready to run again with new bindings (every parameter becomes NULL).
  void reset();

  // Columns of the current row (0-based); valid only after step() returned true.
  bool column_is_null(int column) const;
  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;
  // The column's text in SQLite's memory, valid until the next step (or another column call
  // converting this column).
  std::string_view column_view(int column) const;
  // The column's text, or nothing when it is NULL.
  std::optional<std::string> column_optional_text(int column) const;
  // The column's text in SQLite's memory, or nothing when it is NULL, valid until the next step:
  // column_is_null and column_view in one lookup of the column, for readers of many rows. Only
  // for a statement whose connection is used by one thread at a time (it reads the column's value
  // without the connection's mutex, which the store's connections do not have).
  std::optional<std::string_view> column_view_or_null(int column) const;

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string_view what)
      : db_(db), stmt_(stmt), what_(what) {}
  Status check_bind(int rc);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string_view what_;
};

}  // namespace sg::store
