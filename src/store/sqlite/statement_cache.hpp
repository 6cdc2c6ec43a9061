// StatementCache keeps the prepared statements of one SQLite connection, keyed by their SQL text,
// so that a query the store runs again and again (insert an audit event, read the head, read one
// bucket) is compiled once instead of on every call.
//
// get() hands out a Lease on the cached Statement; when the lease ends the statement is reset and
// its bindings cleared, so a cached SELECT never keeps a read transaction open between calls and
// the next user starts from a clean statement. At most `capacity` statements are kept; past that
// get() prepares a statement the lease owns and finalizes. A schema change (a migration) is no
// concern: SQLite re-prepares a stale statement on its next step.
//
// Owned by the SqliteStore with the connection, and cleared before the connection closes. Not
// thread-safe: the caller holds the connection's lock from get() to the end of the lease (for the
// store, `mu_`), and only one lease of a given SQL text is alive at a time.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/sqlite/statement.hpp"

struct sqlite3;

namespace sg::store {

class StatementCache {
 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Statement& operator*() const { return *statement_; }
    Statement* operator->() const { return statement_; }

   private:
    friend class StatementCache;
    explicit Lease(Statement* cached) : statement_(cached) {}
    explicit Lease(Statement&& owned);

    std::optional<Statement> owned_;  // set when the cache was full
    Statement* statement_;
  };

  static constexpr std::size_t kDefaultCapacity = 64;

  explicit StatementCache(sqlite3* db, std::size_t capacity = kDefaultCapacity)
      : db_(db), capacity_(capacity) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The statement for `sql`, prepared on first use. `what` labels errors (a string literal); a
  // cached statement keeps the label it was first prepared with. Errors: kStoreUnavailable,
  // kInternal (see Statement::prepare).
  Result<Lease> get(std::string_view sql, std::string_view what);

  // Finalizes every cached statement (no lease may be alive).
  void clear() { statements_.clear(); }

  std::size_t size() const { return statements_.size(); }

 private:
  sqlite3* db_;
  std::size_t capacity_;
  std::map<std::string, Statement, std::less<>> statements_;
};

}  // namespace sg::store
