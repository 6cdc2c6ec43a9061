// Versioned migrations of the SQLite store: new databases, reopening, upgrades, failures, races.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <regex>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::RawDb;
using testing::TempDir;

// A test schema: v1 is the real first migration, v2 and v3 build on each other.
const Migration kV1 = sqlite_migrations()[0];
const Migration kV2{2, "widgets", "CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT);"};
const Migration kV3{3, "widget sizes",
                    "ALTER TABLE widgets ADD COLUMN size INTEGER NOT NULL DEFAULT 0;"
                    "INSERT INTO widgets (name, size) VALUES ('first', 3);"};

TEST(SqliteMigrations, NewDatabaseGetsEveryMigration) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;

  const int newest = static_cast<int>(sqlite_migrations().size());
  auto version = (*store)->schema_version();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, newest);

  RawDb raw(path);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM schema_version"), newest);
  EXPECT_EQ(raw.integer("SELECT COUNT(DISTINCT version) FROM schema_version"), newest);
  EXPECT_EQ(raw.text("SELECT description FROM schema_version WHERE version = 1"),
            "installation metadata");
  EXPECT_TRUE(std::regex_match(raw.text("SELECT applied_at FROM schema_version WHERE version = 1"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));

  auto instance_id = (*store)->get_meta("instance_id");
  ASSERT_TRUE(instance_id.ok());
  ASSERT_TRUE(instance_id->has_value());
  EXPECT_TRUE(std::regex_match(**instance_id, std::regex("[0-9a-f]{32}"))) << **instance_id;
  auto created_at = (*store)->get_meta("created_at");
  ASSERT_TRUE(created_at.ok());
  ASSERT_TRUE(created_at->has_value());
  EXPECT_TRUE(
      std::regex_match(**created_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << **created_at;
}

TEST(SqliteMigrations, ShippedSchemaHasFiveVersionsInOrder) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(sqlite_migrations().size(), 6u);
  EXPECT_EQ(*(*store)->schema_version(), 6);

  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT group_concat(version || ' ' || description, '; ') FROM"
                     " (SELECT version, description FROM schema_version ORDER BY version)"),
            "1 installation metadata; 2 audit log and signing keys; "
            "3 public signing keys and revoked tokens; 4 runs; 5 bucketed audit indexes; "
            "6 bucketed audit time index");
}

// The audit indexes of a new database: all five bucketed by seq.
constexpr const char* kAuditIndexes =
    "SELECT group_concat(name || ': ' || sql, '; ') FROM (SELECT name, sql FROM sqlite_master"
    " WHERE type = 'index' AND tbl_name = 'audit_events' ORDER BY name)";
constexpr const char* kBucketedAuditIndexes =
    "audit_events_actor_bucket: CREATE INDEX audit_events_actor_bucket ON audit_events"
    " (seq >> 12, actor_subject); "
    "audit_events_decision_bucket: CREATE INDEX audit_events_decision_bucket ON audit_events"
    " (seq >> 12, decision); "
    "audit_events_stack_bucket: CREATE INDEX audit_events_stack_bucket ON audit_events"
    " (seq >> 12, stack); "
    "audit_events_time_bucket: CREATE INDEX audit_events_time_bucket ON audit_events"
    " (seq >> 12, time); "
    "audit_events_type_bucket: CREATE INDEX audit_events_type_bucket ON audit_events"
    " (seq >> 12, type)";

TEST(SqliteMigrations, NewDatabaseHasBucketedAuditIndexes) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  ASSERT_TRUE(SqliteStore::open({.path = path}).ok());
  RawDb raw(path);
  EXPECT_EQ(raw.text(kAuditIndexes), kBucketedAuditIndexes);
}

TEST(SqliteMigrations, Version4AuditLogMigratesInPlaceToBucketedIndexes) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  const auto shipped = sqlite_migrations();
  std::vector<AuditRecord> rows;
  for (std::int64_t seq = 1; seq <= 5000; ++seq) {
    rows.push_back(AuditRecord{seq, "2026-11-29T04:30:00.000Z", "authz.decision",
                               seq % 1000 == 0 ? "user:rare" : "user:common", "acme/p/s",
                               seq % 2 == 0 ? "deny" : "allow", "{}", std::string(64, 'a')});
  }
  {
    auto v4 = SqliteStore::open({.path = path}, shipped.first(4));
    ASSERT_TRUE(v4.ok()) << v4.error().message;
    ASSERT_TRUE((*v4)->append_audit({}, rows).ok());
    RawDb raw(path);
    EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                          " ('audit_events_type', 'audit_events_actor', 'audit_events_stack',"
                          " 'audit_events_decision')"),
              4);
  }
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*(*store)->schema_version(), 6);
  RawDb raw(path);
  EXPECT_EQ(raw.text(kAuditIndexes), kBucketedAuditIndexes);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
  AuditQuery q;
  q.actor_subject = "user:rare";
  auto rare = (*store)->read_audit(q);
  ASSERT_TRUE(rare.ok()) << rare.error().message;
  std::vector<std::int64_t> seqs;
  for (const AuditRecord& r : *rare)
    seqs.push_back(r.seq);
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{1000, 2000, 3000, 4000, 5000}));
  AuditQuery late;
  late.since = parse_rfc3339("2026-11-29T04:30:00.000Z").value();
  late.after_seq = 4998;
  auto tail = (*store)->read_audit(late);
  ASSERT_TRUE(tail.ok()) << tail.error().message;
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ(tail->back().seq, 5000);
  EXPECT_EQ(*(*store)->audit_head(), (AuditHead{5000, std::string(64, 'a')}));
}

TEST(SqliteMigrations, TwoNewDatabasesGetDifferentInstanceIds) {
  TempDir dir;
  auto first = SqliteStore::open({.path = dir.file("one.db")});
  auto second = SqliteStore::open({.path = dir.file("two.db")});
  ASSERT_TRUE(first.ok() && second.ok());
  auto a = (*first)->get_meta("instance_id");
  auto b = (*second)->get_meta("instance_id");
  ASSERT_TRUE(a.ok() && b.ok() && a->has_value() && b->has_value());
  EXPECT_NE(**a, **b);
}

TEST(SqliteMigrations, ReopeningAppliesNothingAndKeepsInstanceId) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  std::string instance_id;
  std::string created_at;
  {
    auto store = SqliteStore::open({.path = path});
    ASSERT_TRUE(store.ok()) << store.error().message;
    instance_id = (*store)->get_meta("instance_id")->value();
    created_at = (*store)->get_meta("created_at")->value();
  }
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->get_meta("instance_id")->value(), instance_id);
  EXPECT_EQ((*store)->get_meta("created_at")->value(), created_at);
  EXPECT_EQ(*(*store)->schema_version(), static_cast<int>(sqlite_migrations().size()));

  RawDb raw(path);
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM schema_version"),
            static_cast<std::int64_t>(sqlite_migrations().size()));
}

TEST(SqliteMigrations, DatabaseAtNewerVersionIsRefusedAsTooNew) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  ASSERT_TRUE(SqliteStore::open({.path = path}).ok());
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("INSERT INTO schema_version (version, applied_at, description)"
                       " VALUES (7, '2030-01-01T00:00:00.000Z', 'from the future')"),
              SQLITE_OK);
  }
  const std::array migrations = {kV1, kV2, kV3};
  auto store = SqliteStore::open({.path = path}, migrations);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kStoreTooNew);
  EXPECT_EQ(store.error().message,
            "database schema version 7 is newer than this stackgate (knows up to 3); "
            "upgrade stackgate");

  RawDb raw(path);
  EXPECT_EQ(raw.integer("SELECT MAX(version) FROM schema_version"), 7);
  EXPECT_EQ(raw.text("SELECT name FROM sqlite_master WHERE name = 'widgets'"), "<none>");
}

TEST(SqliteMigrations, AddedMigrationsUpgradeAnExistingDatabaseInOrder) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  const std::array v1_only = {kV1};
  {
    auto store = SqliteStore::open({.path = path}, v1_only);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ(*(*store)->schema_version(), 1);
  }
  const std::array all = {kV1, kV2, kV3};
  auto store = SqliteStore::open({.path = path}, all);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*(*store)->schema_version(), 3);

  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT group_concat(version, ',') FROM"
                     " (SELECT version FROM schema_version ORDER BY rowid)"),
            "1,2,3");
  EXPECT_EQ(raw.text("SELECT description FROM schema_version WHERE version = 3"), "widget sizes");
  // v3 altered the table v2 created, so they ran in order.
  EXPECT_EQ(raw.text("SELECT name || ':' || size FROM widgets"), "first:3");
}

TEST(SqliteMigrations, FailingMigrationIsRolledBackAndNamesItsVersion) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  const Migration bad{3, "half done",
                      "CREATE TABLE partial (x INTEGER);"
                      "CREATE TABLE broken (;"};
  const std::array migrations = {kV1, kV2, bad};
  auto store = SqliteStore::open({.path = path}, migrations);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kInternal);
  EXPECT_EQ(store.error().message.rfind("migration 3 (half done) failed: ", 0), 0u)
      << store.error().message;

  {
    RawDb raw(path);
    EXPECT_EQ(raw.integer("SELECT MAX(version) FROM schema_version"), 2);
    EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM schema_version WHERE version = 3"), 0);
    EXPECT_EQ(raw.text("SELECT name FROM sqlite_master WHERE name = 'partial'"), "<none>");
    EXPECT_EQ(raw.text("SELECT name FROM sqlite_master WHERE name = 'widgets'"), "widgets");
  }
  // The database is still usable at the previous version.
  const std::array good = {kV1, kV2};
  auto reopened = SqliteStore::open({.path = path}, good);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(*(*reopened)->schema_version(), 2);
}

TEST(SqliteMigrations, FailingConstraintInMigrationIsInternalAndRolledBack) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  const Migration dup{2, "duplicate meta",
                      "INSERT INTO meta (key, value) VALUES ('x', '1');"
                      "INSERT INTO meta (key, value) VALUES ('x', '2');"};
  const std::array migrations = {kV1, dup};
  auto store = SqliteStore::open({.path = path}, migrations);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kInternal);
  EXPECT_EQ(store.error().message.rfind("migration 2 (duplicate meta) failed: ", 0), 0u)
      << store.error().message;
  RawDb raw(path);
  EXPECT_EQ(raw.integer("SELECT MAX(version) FROM schema_version"), 1);
  EXPECT_EQ(raw.text("SELECT value FROM meta WHERE key = 'x'"), "<none>");
}

TEST(SqliteMigrations, MigrationThatCommitsItselfIsInternal) {
  TempDir dir;
  const Migration commits{2, "commits", "CREATE TABLE t (x INTEGER); COMMIT;"};
  const std::array migrations = {kV1, commits};
  auto store = SqliteStore::open({.path = dir.file("stackgate.db")}, migrations);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kInternal);
  EXPECT_EQ(store.error().message,
            "migration 2 (commits) failed: it ended its transaction (no BEGIN/COMMIT in "
            "migrations)");
}

TEST(SqliteMigrations, NonContiguousListIsInternalAndTouchesNothing) {
  TempDir dir;
  const std::string path = dir.file("data/stackgate.db");
  const std::array gap = {kV1, kV3};
  auto store = SqliteStore::open({.path = path}, gap);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kInternal);
  EXPECT_EQ(store.error().message,
            "migration list is invalid: expected version 2 at position 2, found 3");
  EXPECT_FALSE(std::filesystem::exists(dir.file("data")));
}

TEST(SqliteMigrations, ListNotStartingAtOneIsInternal) {
  TempDir dir;
  const std::array late = {kV2, kV3};
  auto store = SqliteStore::open({.path = dir.file("stackgate.db")}, late);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kInternal);
}

TEST(SqliteMigrations, UnorderedListIsInternal) {
  TempDir dir;
  const std::array unordered = {kV1, kV3, kV2};
  auto store = SqliteStore::open({.path = dir.file("stackgate.db")}, unordered);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kInternal);
}

TEST(SqliteMigrations, EmptyListIsInternal) {
  TempDir dir;
  auto store = SqliteStore::open({.path = dir.file("stackgate.db")}, std::span<const Migration>());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kInternal);
  EXPECT_EQ(store.error().message, "migration list is empty");
}

TEST(SqliteMigrations, ConcurrentOpensApplyEachMigrationOnce) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  const std::array migrations = {kV1, kV2, kV3};
  constexpr std::size_t kOpeners = 4;
  std::array<std::string, kOpeners> outcomes;  // "ok" or the error, one slot per thread
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < kOpeners; ++i) {
      threads.emplace_back([&, i] {
        auto store = SqliteStore::open({.path = path}, migrations);
        outcomes[i] = store.ok() ? "ok" : store.error().message;
      });
    }
  }
  for (const std::string& outcome : outcomes)
    EXPECT_EQ(outcome, "ok");
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT group_concat(version, ',') FROM"
                     " (SELECT version FROM schema_version ORDER BY rowid)"),
            "1,2,3");
  EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM widgets"), 1);
}

}  // namespace
}  // namespace sg::store
