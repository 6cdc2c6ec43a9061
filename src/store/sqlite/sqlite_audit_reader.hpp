// SqliteAuditReader is the SQLite store's AuditReader (store/audit_reader.hpp): it reads audit
// events on a read-only connection of its own to the store's database file.
//
// WAL lets several such connections read beside each other and beside the store's connection,
// which keeps appending; each read() sees the log as committed when it starts. Rows reach the
// caller as views into SQLite's column buffers, without a copy of ours. Made by
// SqliteStore::open_audit_reader; it needs the database file, not the SqliteStore object. Not
// thread-safe: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "common/duration.hpp"
#include "store/audit_reader.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/statement.hpp"

namespace sg::store {

// The audit event on the current row of `q`, whose columns are "seq, time, type, actor_subject,
// stack, decision, body, hash": views into SQLite's buffers, valid until the statement steps or
// resets.
AuditRowView audit_row_view(const Statement& q);

class SqliteAuditReader final : public AuditReader {
 public:
  // Opens the database at `path`, which must exist, read-only. Errors: kStoreUnavailable.
  static Result<std::unique_ptr<SqliteAuditReader>> open(const std::string& path,
                                                         Duration busy_timeout);

  Status read(std::int64_t after_seq, std::int64_t through_seq,
              const std::function<void(const AuditRowView&)>& each) override;

 private:
  SqliteAuditReader(Connection db, Statement select)
      : db_(std::move(db)), select_(std::move(select)) {}

  Connection db_;
  Statement select_;  // prepared once; declared after db_, so finalized before db_ is closed
};

}  // namespace sg::store
