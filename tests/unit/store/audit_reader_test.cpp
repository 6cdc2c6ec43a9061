// Audit readers by seq range: the SQLite store's own read-only connection and the paged reader any
// Store gets, over the same stored rows — the range bounds, gaps, the views' contents, and reading
// beside the store's connection while it appends.
#include "store/audit_reader.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::RawDb;
using testing::TempDir;

AuditRecord row(std::int64_t seq) {
  const bool odd = seq % 2 == 1;
  return AuditRecord{seq,
                     "2026-11-29T04:30:00.500Z",
                     "authz.decision",
                     odd ? std::optional<std::string>("user:a") : std::nullopt,
                     odd ? std::nullopt : std::optional<std::string>("acme/p/s"),
                     seq % 3 == 0 ? std::optional<std::string>("deny") : std::nullopt,
                     "{\"seq\":" + std::to_string(seq) + "}",
                     std::string(64, static_cast<char>('a' + seq % 6))};
}

enum class Kind { kSqlite, kPaged };

class AuditReaderTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open({.path = path_});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  void append(std::int64_t from, std::int64_t to) {
    std::vector<AuditRecord> rows;
    for (std::int64_t s = from; s <= to; ++s)
      rows.push_back(row(s));
    const AuditHead head = store_->audit_head().value();
    ASSERT_TRUE(store_->append_audit(head, rows).ok());
  }

  std::unique_ptr<AuditReader> reader() {
    if (GetParam() == Kind::kPaged) return std::make_unique<PagedAuditReader>(*store_);
    auto opened = store_->open_audit_reader();
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  // The rows of (after, through], copied out of the views.
  static Result<std::vector<AuditRecord>> read(AuditReader& r, std::int64_t after,
                                               std::int64_t through) {
    std::vector<AuditRecord> out;
    Status s = r.read(after, through, [&](const AuditRowView& v) {
      AuditRecord copy;
      assign_row(copy, v);
      out.push_back(std::move(copy));
    });
    if (!s) return s.error();
    return out;
  }

  static std::vector<std::int64_t> seqs(const Result<std::vector<AuditRecord>>& rows) {
    if (!rows) return {-1};
    std::vector<std::int64_t> out;
    for (const AuditRecord& r : *rows)
      out.push_back(r.seq);
    return out;
  }

  TempDir dir_;
  const std::string path_ = dir_.file("stackgate.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_P(AuditReaderTest, ReadsExactlyTheRangeInSeqOrderWithEveryColumn) {
  append(1, 12);
  std::unique_ptr<AuditReader> r = reader();
  ASSERT_NE(r, nullptr);
  const auto rows = read(*r, 3, 9);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(seqs(rows), (std::vector<std::int64_t>{4, 5, 6, 7, 8, 9}));
  for (const AuditRecord& a : *rows)
    EXPECT_EQ(a, row(a.seq));  // NULL columns come back as nothing, text as itself
  EXPECT_EQ(seqs(read(*r, 0, 1)), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(seqs(read(*r, 10, 100)), (std::vector<std::int64_t>{11, 12}));
  EXPECT_EQ(seqs(read(*r, 12, 20)), (std::vector<std::int64_t>{}));
  EXPECT_EQ(seqs(read(*r, 5, 5)), (std::vector<std::int64_t>{}));
}

TEST_P(AuditReaderTest, ReadsARangeWiderThanAStorePageWhole) {
  append(1, static_cast<std::int64_t>(kMaxAuditPage) + 5);
  std::unique_ptr<AuditReader> r = reader();
  ASSERT_NE(r, nullptr);
  const auto rows = read(*r, 2, static_cast<std::int64_t>(kMaxAuditPage) + 4);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), kMaxAuditPage + 2);
  EXPECT_EQ(rows->front().seq, 3);
  EXPECT_EQ(rows->back().seq, static_cast<std::int64_t>(kMaxAuditPage) + 4);
}

TEST_P(AuditReaderTest, SkipsGapsAndStopsAtTheEndOfTheRange) {
  append(1, 10);
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec("DROP TRIGGER audit_events_no_delete;"
                       "DELETE FROM audit_events WHERE seq IN (2, 3, 4, 8)"),
              SQLITE_OK);
  }
  std::unique_ptr<AuditReader> r = reader();
  ASSERT_NE(r, nullptr);
  // The paged reader asks for at most through - after rows: 5 here, and rows 6.. exist beyond 4.
  EXPECT_EQ(seqs(read(*r, 0, 5)), (std::vector<std::int64_t>{1, 5}));
  EXPECT_EQ(seqs(read(*r, 4, 9)), (std::vector<std::int64_t>{5, 6, 7, 9}));
}

TEST_P(AuditReaderTest, SeesWhatTheStoreCommittedSinceItsLastRead) {
  append(1, 3);
  std::unique_ptr<AuditReader> r = reader();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(seqs(read(*r, 0, 10)), (std::vector<std::int64_t>{1, 2, 3}));
  append(4, 5);  // the store's connection writes while the reader is open
  EXPECT_EQ(seqs(read(*r, 0, 10)), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
}

INSTANTIATE_TEST_SUITE_P(Readers, AuditReaderTest, ::testing::Values(Kind::kSqlite, Kind::kPaged),
                         [](const ::testing::TestParamInfo<Kind>& p) {
                           return std::string(p.param == Kind::kSqlite ? "Sqlite" : "Paged");
                         });

TEST(SqliteAuditReader, ReadsOnAConnectionOfItsOwnWhileTheStoreIsInATransaction) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  auto store = SqliteStore::open({.path = path}).value();
  ASSERT_TRUE(store->append_audit({}, std::vector<AuditRecord>{row(1), row(2)}).ok());
  auto reader = store->open_audit_reader();
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  // A writer holding the write lock (another process, or the store mid-append) does not block a
  // WAL reader, which sees the last commit.
  RawDb writer(path);
  ASSERT_EQ(writer.exec("BEGIN IMMEDIATE; DROP TRIGGER audit_events_no_delete;"
                        " DELETE FROM audit_events WHERE seq = 1;"),
            SQLITE_OK);
  std::vector<std::int64_t> seen;
  ASSERT_TRUE((*reader)->read(0, 5, [&](const AuditRowView& v) { seen.push_back(v.seq); }).ok());
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2}));
  ASSERT_EQ(writer.exec("ROLLBACK"), SQLITE_OK);
}

TEST(SqliteAuditReader, AnUnreadableDatabaseIsAnError) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  auto store = SqliteStore::open({.path = path}).value();
  ASSERT_TRUE(store->append_audit({}, std::vector<AuditRecord>{row(1)}).ok());
  auto reader = store->open_audit_reader();
  ASSERT_TRUE(reader.ok());
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
                       " ALTER TABLE audit_events RENAME TO gone"),
              SQLITE_OK);
  }
  const Status s = (*reader)->read(0, 5, [](const AuditRowView&) {});
  EXPECT_EQ(s.code(), Errc::kStoreUnavailable);
}

}  // namespace
}  // namespace sg::store
