// FileSink in a temporary folder: appending, the mode of a new file, rotation with reopen(), and
// open failures.
#include "audit/file_sink.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "audit_test_support.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::audit {
namespace {

namespace fs = std::filesystem;
using store::testing::mode_of;
using store::testing::TempDir;

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string line(const store::AuditRecord& r) {
  return r.body + "\n";
}

class FileSinkTest : public ::testing::Test {
 protected:
  TempDir dir_;
  const std::string path_ = dir_.file("audit.jsonl");
  const std::vector<store::AuditRecord> records_ = test::records_of(test::sealed_chain(4));
};

TEST_F(FileSinkTest, CreatesTheFileWithMode0600) {
  auto sink = FileSink::open(path_);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  EXPECT_TRUE(fs::exists(path_));
  EXPECT_EQ(mode_of(path_), 0600);
  EXPECT_EQ((*sink)->name(), "file:" + path_);
  EXPECT_TRUE((*sink)->durable());
}

TEST_F(FileSinkTest, AppendsOneLinePerEventAfterWhatIsThere) {
  std::ofstream(path_) << "earlier line\n";
  auto sink = FileSink::open(path_);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  ASSERT_TRUE((*sink)->deliver(std::span(records_).subspan(0, 3)).ok());
  ASSERT_TRUE((*sink)->deliver(std::span(records_).subspan(3, 1)).ok());
  EXPECT_EQ(contents(path_), "earlier line\n" + line(records_[0]) + line(records_[1]) +
                                 line(records_[2]) + line(records_[3]));
}

TEST_F(FileSinkTest, ReopenAfterARenameWritesToANewFileAndTheOldOneKeepsItsLines) {
  auto sink = FileSink::open(path_);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  ASSERT_TRUE((*sink)->deliver(std::span(records_).subspan(0, 2)).ok());
  const std::string rotated = dir_.file("audit.jsonl.1");
  fs::rename(path_, rotated);
  ASSERT_TRUE((*sink)->deliver(std::span(records_).subspan(2, 1)).ok());  // still the old file
  (*sink)->reopen();
  ASSERT_TRUE((*sink)->deliver(std::span(records_).subspan(3, 1)).ok());
  EXPECT_EQ(contents(rotated), line(records_[0]) + line(records_[1]) + line(records_[2]));
  EXPECT_EQ(contents(path_), line(records_[3]));
  EXPECT_EQ(mode_of(path_), 0600);
}

TEST_F(FileSinkTest, AMissingFolderIsAnErrorNamingThePath) {
  const std::string path = dir_.file("missing/audit.jsonl");
  auto sink = FileSink::open(path);
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.code(), Errc::kIo);
  EXPECT_EQ(sink.error().message,
            "audit sink file:" + path + ": cannot open: No such file or directory");
}

TEST_F(FileSinkTest, AFailedReopenIsADeliveryErrorAndIsRetriedByTheNextDelivery) {
  const std::string folder = dir_.file("logs");
  fs::create_directory(folder);
  const std::string path = folder + "/audit.jsonl";
  auto sink = FileSink::open(path);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  fs::rename(folder, dir_.file("logs.old"));
  (*sink)->reopen();
  Status s = (*sink)->deliver(std::span(records_).subspan(0, 1));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kIo);
  EXPECT_EQ(s.error().message,
            "audit sink file:" + path + ": cannot open: No such file or directory");
  fs::create_directory(folder);
  ASSERT_TRUE((*sink)->deliver(std::span(records_).subspan(0, 1)).ok());
  EXPECT_EQ(contents(path), line(records_[0]));
  EXPECT_EQ(contents(dir_.file("logs.old/audit.jsonl")), "");
}

}  // namespace
}  // namespace sg::audit
