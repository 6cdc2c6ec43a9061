#include "runs/file_tree.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/unique_fd.hpp"
#include "runs/run_test_support.hpp"

namespace sg::runs {
namespace {

namespace fs = std::filesystem;

class FileTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    run_ = tmp_.mkdir("run");
    dir_.reset(::open(run_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(dir_.valid());
  }
  static unsigned mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }

  testing::TempDir tmp_;
  std::string run_;
  UniqueFd dir_;
};

TEST_F(FileTreeTest, APrivateDirectoryIsExactly0700WhateverTheUmask) {
  for (mode_t mask : {022, 077, 0, 0700}) {
    const mode_t old = ::umask(mask);
    const std::string name = "home-" + std::to_string(mask);
    const Status made = make_private_dir(dir_.get(), name);
    ::umask(old);
    ASSERT_TRUE(made.ok()) << made.error().message;
    EXPECT_EQ(mode_of(run_ + "/" + name), 0700u) << mask;
  }
}

TEST_F(FileTreeTest, APrivateDirectoryMustBeNew) {
  ASSERT_TRUE(make_private_dir(dir_.get(), "home").ok());
  EXPECT_EQ(make_private_dir(dir_.get(), "home").error(),
            make_error(Errc::kIo, "cannot create home: File exists"));
  ASSERT_EQ(::symlink(tmp_.str().c_str(), (run_ + "/link").c_str()), 0);
  EXPECT_EQ(make_private_dir(dir_.get(), "link").code(), Errc::kIo);
  EXPECT_EQ(mode_of(tmp_.str()), 0700u);  // mkdtemp's mode, untouched
}

TEST_F(FileTreeTest, RemovesANestedTreeWithReadOnlyAndEmptyDirectories) {
  tmp_.write("run/home/plugins/resource-aws/bin/pulumi-resource-aws", "binary");
  tmp_.write("run/home/credentials.json", R"({"accessTokens":{}})");
  tmp_.mkdir("run/home/empty");
  tmp_.write("run/home/gomod/pkg@v1/go.mod", "module x");
  fs::permissions(run_ + "/home/gomod/pkg@v1", fs::perms::owner_read | fs::perms::owner_exec);
  fs::permissions(run_ + "/home/gomod", fs::perms::none);
  tmp_.write("run/keep.txt", "the caller's");

  const Status removed = remove_tree(dir_.get(), "home");
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_FALSE(fs::exists(run_ + "/home"));
  EXPECT_TRUE(fs::exists(run_ + "/keep.txt"));
}

TEST_F(FileTreeTest, NeverFollowsALinkOutOfTheTree) {
  tmp_.write("outside/precious/data.txt", "keep me");
  tmp_.write("outside/file.txt", "keep me too");
  tmp_.mkdir("run/home/sub");
  fs::create_directory_symlink(tmp_.str("outside/precious"), run_ + "/home/to-dir");
  fs::create_symlink(tmp_.str("outside/file.txt"), run_ + "/home/sub/to-file");
  fs::create_directory_symlink(tmp_.str("outside"), run_ + "/home/sub/to-outside");
  fs::create_symlink("/nonexistent/dangling", run_ + "/home/dangling");

  ASSERT_TRUE(remove_tree(dir_.get(), "home").ok());
  EXPECT_FALSE(fs::exists(fs::symlink_status(run_ + "/home")));
  EXPECT_EQ(testing::read_file(tmp_.str("outside/precious/data.txt")), "keep me");
  EXPECT_EQ(testing::read_file(tmp_.str("outside/file.txt")), "keep me too");
}

TEST_F(FileTreeTest, ALinkInPlaceOfTheTreeIsRemovedNotItsTarget) {
  tmp_.write("outside/data.txt", "keep me");
  fs::create_directory_symlink(tmp_.str("outside"), run_ + "/home");
  ASSERT_TRUE(remove_tree(dir_.get(), "home").ok());
  EXPECT_FALSE(fs::exists(fs::symlink_status(run_ + "/home")));
  EXPECT_EQ(testing::read_file(tmp_.str("outside/data.txt")), "keep me");
}

TEST_F(FileTreeTest, RemovesAPlainFileAndAcceptsAMissingName) {
  tmp_.write("run/events.jsonl", "{}\n");
  EXPECT_TRUE(remove_tree(dir_.get(), "events.jsonl").ok());
  EXPECT_FALSE(fs::exists(run_ + "/events.jsonl"));
  EXPECT_TRUE(remove_tree(dir_.get(), "events.jsonl").ok());
  EXPECT_TRUE(remove_tree(dir_.get(), "never-there").ok());
}

TEST_F(FileTreeTest, NestingBeyondTheBoundIsReportedAndLeftInPlace) {
  std::string relative = "home";
  for (int i = 0; i < kMaxTreeDepth + 2; ++i)
    relative += "/d";
  tmp_.mkdir("run/" + relative);
  const Status removed = remove_tree(dir_.get(), "home");
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.code(), Errc::kIo);
  EXPECT_NE(removed.error().message.find("nested deeper than 128 levels"), std::string::npos)
      << removed.error().message;
  EXPECT_TRUE(fs::exists(run_ + "/home"));
}

}  // namespace
}  // namespace sg::runs
