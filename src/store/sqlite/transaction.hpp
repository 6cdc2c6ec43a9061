// Transaction is one SQLite write transaction that rolls back unless committed.
//
// begin_immediate() takes the database's write lock up front (BEGIN IMMEDIATE), waiting at most the
// connection's busy timeout, so that a read-then-write inside it cannot be overtaken by another
// connection. Destroying an uncommitted Transaction rolls it back. Move-only. Not thread-safe: the
// caller holds the connection's lock for the transaction's whole life.
#pragma once

#include <string_view>

#include "common/result.hpp"

struct sqlite3;

namespace sg::store {

class Transaction {
 public:
  // `what` labels errors and must outlive the Transaction (use a string literal).
  // Errors: kStoreUnavailable (e.g. another connection held the write lock past the busy timeout).
  static Result<Transaction> begin_immediate(sqlite3* db, std::string_view what);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // Errors: kStoreUnavailable; the transaction is then rolled back.
  Status commit();

 private:
  Transaction(sqlite3* db, std::string_view what) : db_(db), what_(what) {}
  void rollback();

  sqlite3* db_;
  std::string_view what_;
};

}  // namespace sg::store
