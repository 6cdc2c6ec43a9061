// The SQLite store's file handling: folders, modes, WAL, and paths it cannot use.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::store {
namespace {

using testing::mode_of;
using testing::RawDb;
using testing::TempDir;

// Sets the process umask for one scope (tests run one at a time, so this does not race).
class UmaskScope {
 public:
  explicit UmaskScope(mode_t mask) : previous_(::umask(mask)) {}
  UmaskScope(const UmaskScope&) = delete;
  UmaskScope& operator=(const UmaskScope&) = delete;
  ~UmaskScope() { ::umask(previous_); }

 private:
  mode_t previous_;
};

TEST(SqliteStoreFiles, CreatesEveryMissingFolderWithMode0700) {
  TempDir dir;
  const std::string path = dir.file("a/b/c/stackgate.db");
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(mode_of(dir.file("a")), 0700);
  EXPECT_EQ(mode_of(dir.file("a/b")), 0700);
  EXPECT_EQ(mode_of(dir.file("a/b/c")), 0700);
}

TEST(SqliteStoreFiles, LeavesExistingFoldersModeAsItIs) {
  TempDir dir;
  ASSERT_EQ(::mkdir(dir.file("shared").c_str(), 0755), 0);
  ASSERT_EQ(::chmod(dir.file("shared").c_str(), 0755), 0);
  auto store = SqliteStore::open({.path = dir.file("shared/data/stackgate.db")});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(mode_of(dir.file("shared")), 0755);
  EXPECT_EQ(mode_of(dir.file("shared/data")), 0700);
}

TEST(SqliteStoreFiles, CreatesDatabaseFileWithMode0600) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(mode_of(path), 0600);
}

TEST(SqliteStoreFiles, ModesDoNotDependOnTheUmask) {
  TempDir dir;
  const std::string path = dir.file("open/stackgate.db");
  {
    UmaskScope permissive(0);  // nothing is masked
    auto store = SqliteStore::open({.path = path});
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE((*store)->put_meta("k", "v").ok());
    EXPECT_EQ(mode_of(path + "-wal"), 0600);
    EXPECT_EQ(mode_of(path + "-shm"), 0600);
  }
  EXPECT_EQ(mode_of(dir.file("open")), 0700);
  EXPECT_EQ(mode_of(path), 0600);
}

TEST(SqliteStoreFiles, WalAndShmFilesAreNotWorldReadable) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)->put_meta("k", "v").ok());
  EXPECT_EQ(mode_of(path + "-wal"), 0600);
  EXPECT_EQ(mode_of(path + "-shm"), 0600);
}

TEST(SqliteStoreFiles, JournalModeIsWal) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
}

TEST(SqliteStoreFiles, ANewDatabaseHasSixteenKibPages) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA page_size"), "16384");
}

TEST(SqliteStoreFiles, AnExistingDatabaseKeepsItsPageSize) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  {
    // Created by an older stackgate, with SQLite's default 4 KiB pages.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE t (x);",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA page_size"), "4096");
}

TEST(SqliteStoreFiles, PathUnderARegularFileIsStoreUnavailable) {
  TempDir dir;
  std::ofstream(dir.file("file")) << "not a folder";
  auto store = SqliteStore::open({.path = dir.file("file/db")});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(store.error().message,
            "cannot create the database folder: " + dir.file("file") + " is not a folder");
}

TEST(SqliteStoreFiles, PathBelowARegularFileIsStoreUnavailable) {
  TempDir dir;
  std::ofstream(dir.file("file")) << "not a folder";
  auto store = SqliteStore::open({.path = dir.file("file/sub/db")});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kStoreUnavailable);
  EXPECT_EQ(store.error().message,
            "cannot inspect folder " + dir.file("file/sub") + ": Not a directory");
}

TEST(SqliteStoreFiles, FileThatIsNotADatabaseIsStoreUnavailable) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  std::ofstream(path) << std::string(4096, 'x');
  auto store = SqliteStore::open({.path = path});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kStoreUnavailable);
  EXPECT_NE(store.error().message.find("file is not a database"), std::string::npos)
      << store.error().message;
}

TEST(SqliteStoreFiles, ExistingFileKeepsItsMode) {
  TempDir dir;
  const std::string path = dir.file("stackgate.db");
  std::ofstream(path).close();
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto store = SqliteStore::open({.path = path});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(mode_of(path), 0640);
}

TEST(SqliteStoreFiles, EmptyPathIsInvalidArgument) {
  auto store = SqliteStore::open({.path = ""});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), Errc::kInvalidArgument);
}

}  // namespace
}  // namespace sg::store
