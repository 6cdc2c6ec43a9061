// SqliteStore's table of the gateway's own signing keys (migrations 2 and 3). The private PEM is a
// secret: it is bound as a parameter and never appears in an error message.
#include <sqlite3.h>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace sg::store {

Status SqliteStore::add_signing_key(const SigningKeyRecord& key) {
  std::lock_guard lock(mu_);
  Result<Statement> insert = Statement::prepare(
      db_,
      "INSERT INTO signing_keys (kid, purpose, algorithm, private_pem, created_at, public_jwk)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (kid) DO NOTHING",
      "add_signing_key");
  if (!insert) return insert.error();
  if (Status s = insert->bind_text(1, key.kid); !s) return s;
  if (Status s = insert->bind_text(2, key.purpose); !s) return s;
  if (Status s = insert->bind_text(3, key.algorithm); !s) return s;
  if (Status s = insert->bind_text(4, key.private_pem); !s) return s;
  if (Status s = insert->bind_text(5, key.created_at); !s) return s;
  if (Status s = insert->bind_text(6, key.public_jwk); !s) return s;
  if (Status s = insert->run(); !s) return s;
  if (sqlite3_changes(db_) == 0) {
    return make_error(Errc::kConflict, "add_signing_key: the kid exists");
  }
  return {};
}

Result<std::vector<SigningKeyRecord>> SqliteStore::signing_keys(std::string_view purpose) {
  std::lock_guard lock(mu_);
  Result<Statement> select =
      Statement::prepare(db_,
                         "SELECT kid, purpose, algorithm, private_pem, created_at, public_jwk"
                         " FROM signing_keys"
                         " WHERE purpose = ?1 ORDER BY created_at DESC, rowid DESC",
                         "signing_keys");
  if (!select) return select.error();
  if (Status s = select->bind_text(1, purpose); !s) return s.error();
  std::vector<SigningKeyRecord> out;
  for (;;) {
    Result<bool> row = select->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(SigningKeyRecord{select->column_text(0), select->column_text(1),
                                   select->column_text(2), select->column_text(3),
                                   select->column_text(4), select->column_text(5)});
  }
  return out;
}

}  // namespace sg::store
