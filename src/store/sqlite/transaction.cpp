#include "store/sqlite/transaction.hpp"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite/statement.hpp"

namespace sg::store {

Result<Transaction> Transaction::begin_immediate(sqlite3* db, std::string_view what) {
  Result<Statement> begin = Statement::prepare(db, "BEGIN IMMEDIATE", what);
  if (!begin) return begin.error();
  if (Status ran = begin->run(); !ran) return ran.error();
  return Transaction(db, what);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), what_(other.what_) {}

Transaction::~Transaction() {
  rollback();
}

Status Transaction::commit() {
  sqlite3* db = std::exchange(db_, nullptr);
  if (db == nullptr) return make_error(Errc::kInternal, std::string(what_) + ": no transaction");
  Status committed = [&]() -> Status {
    Result<Statement> commit = Statement::prepare(db, "COMMIT", what_);
    if (!commit) return commit.error();
    return commit->run();
  }();
  if (!committed) {
    db_ = db;  // a failed COMMIT may leave the transaction open: roll it back
    rollback();
  }
  return committed;
}

void Transaction::rollback() {
  sqlite3* db = std::exchange(db_, nullptr);
  // SQLite ends the transaction itself after some errors (e.g. SQLITE_FULL); then there is nothing
  // to roll back.
  if (db == nullptr || sqlite3_get_autocommit(db) != 0) return;
  Result<Statement> rollback = Statement::prepare(db, "ROLLBACK", what_);
  if (rollback) (void)rollback->run();
}

}  // namespace sg::store
