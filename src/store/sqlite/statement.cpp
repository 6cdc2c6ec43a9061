#include "store/sqlite/statement.hpp"

#include <sqlite3.h>

#include <limits>
#include <utility>

#include "store/sqlite/sqlite_error.hpp"

namespace sg::store {

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql, std::string_view what) {
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return make_error(Errc::kInternal, std::string(what) + ": statement too long");
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite_error(db, rc, what);
  }
  if (stmt == nullptr) return make_error(Errc::kInternal, std::string(what) + ": empty statement");
  Statement statement(db, stmt, what);
  if (tail != sql.data() + sql.size()) {
    return make_error(Errc::kInternal, std::string(what) + ": more than one statement");
  }
  return statement;
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), what_(other.what_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    what_ = other.what_;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Status Statement::check_bind(int rc) {
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, what_);
  return {};
}

Status Statement::bind_text(int index, std::string_view value) {
  // A non-null pointer even for an empty value, so the parameter is '' and not NULL.
  const char* data = value.empty() ? "" : value.data();
  return check_bind(
      sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

Status Statement::bind_int(int index, std::int64_t value) {
  return check_bind(sqlite3_bind_int64(stmt_, index, value));
}

Status Statement::bind_null(int index) {
  return check_bind(sqlite3_bind_null(stmt_, index));
}

Status Statement::bind_optional_text(int index, const std::optional<std::string>& value) {
  return value ? bind_text(index, *value) : bind_null(index);
}

void Statement::reset() {
  // sqlite3_reset repeats the error of the last step, which step() has already reported.
  (void)sqlite3_reset(stmt_);
  (void)sqlite3_clear_bindings(stmt_);
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, rc, what_);
}

Status Statement::run() {
  for (;;) {
    Result<bool> row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const {
  return std::string(column_view(column));
}

std::optional<std::string_view> Statement::column_view_or_null(int column) const {
  sqlite3_value* value = sqlite3_column_value(stmt_, column);
  if (sqlite3_value_type(value) == SQLITE_NULL) return std::nullopt;
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
  const int size = sqlite3_value_bytes(value);
  if (text == nullptr || size <= 0) return std::string_view();
  return std::string_view(text, static_cast<std::size_t>(size));
}

std::string_view Statement::column_view(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr || size <= 0) return {};
  return std::string_view(text, static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_text(column);
}

}  // namespace sg::store
