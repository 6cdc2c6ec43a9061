// SqliteStore's list of revoked gateway-issued tokens (migration 3).
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace sg::store {

Status SqliteStore::revoke_token(std::string_view jti, std::int64_t expires_at,
                                 std::string_view revoked_at) {
  std::lock_guard lock(mu_);
  Result<Statement> upsert = Statement::prepare(
      db_,
      "INSERT INTO revoked_tokens (jti, expires_at, revoked_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)",
      "revoke_token");
  if (!upsert) return upsert.error();
  if (Status s = upsert->bind_text(1, jti); !s) return s;
  if (Status s = upsert->bind_int(2, expires_at); !s) return s;
  if (Status s = upsert->bind_text(3, revoked_at); !s) return s;
  return upsert->run();
}

Result<std::vector<RevokedToken>> SqliteStore::revoked_tokens(std::int64_t now) {
  std::lock_guard lock(mu_);
  Result<Statement> select = Statement::prepare(
      db_,
      "SELECT jti, expires_at, revoked_at FROM revoked_tokens WHERE expires_at > ?1 ORDER BY jti",
      "revoked_tokens");
  if (!select) return select.error();
  if (Status s = select->bind_int(1, now); !s) return s.error();
  std::vector<RevokedToken> out;
  for (;;) {
    Result<bool> row = select->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(
        RevokedToken{select->column_text(0), select->column_int(1), select->column_text(2)});
  }
  return out;
}

Status SqliteStore::purge_revoked_tokens(std::int64_t now) {
  std::lock_guard lock(mu_);
  Result<Statement> del = Statement::prepare(
      db_, "DELETE FROM revoked_tokens WHERE expires_at <= ?1", "purge_revoked_tokens");
  if (!del) return del.error();
  if (Status s = del->bind_int(1, now); !s) return s;
  return del->run();
}

}  // namespace sg::store
