// The schema of the SQLite store, one Migration per version. Append new versions at the end; never
// edit one that has shipped.
#include <array>

#include "store/sqlite/sqlite_store.hpp"

namespace sg::store {
namespace {

// Version 1: installation metadata. instance_id is 128 random bits from SQLite's generator (seeded
// from the OS), created_at the creation time in RFC 3339 UTC with milliseconds, as
// sg::format_rfc3339 writes it. Both are set once and kept on every later open.
constexpr std::string_view kV1Meta = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('instance_id', lower(hex(randomblob(16))));
INSERT OR IGNORE INTO meta (key, value)
  VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
)sql";

constexpr std::array kMigrations = {
    Migration{1, "installation metadata", kV1Meta},
};

}  // namespace

std::span<const Migration> sqlite_migrations() {
  return kMigrations;
}

}  // namespace sg::store
