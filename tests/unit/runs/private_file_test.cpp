// Private files in the run directory: created new with mode 0600 whatever the umask, never over
// an existing file or through a symbolic link; the directory itself must be ours and 0700.
#include "runs/private_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "store/sqlite_test_support.hpp"

namespace sg::runs {
namespace {

namespace fs = std::filesystem;
using store::testing::mode_of;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class PrivateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.path() / "run";
    fs::create_directory(dir_);
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);
  }
  store::testing::TempDir tmp_;
  fs::path dir_;
};

TEST_F(PrivateFileTest, WritesANewFileWithMode0600WhateverTheUmask) {
  const mode_t old = ::umask(0);
  Status s = write_private_file(dir_ / "token", "eyJ.x.y");
  ::umask(old);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(read_file(dir_ / "token"), "eyJ.x.y");
  EXPECT_EQ(mode_of((dir_ / "token").string()), 0600);

  const mode_t strict = ::umask(0277);  // would leave 0400
  ASSERT_TRUE(write_private_file(dir_ / "other", "").ok());
  ::umask(strict);
  EXPECT_EQ(mode_of((dir_ / "other").string()), 0600);
  EXPECT_EQ(read_file(dir_ / "other"), "");
}

TEST_F(PrivateFileTest, NeverOverwritesAnExistingFile) {
  std::ofstream(dir_ / "token") << "first";
  Status s = write_private_file(dir_ / "token", "second");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kIo);
  EXPECT_EQ(s.error().message, "cannot create " + (dir_ / "token").string() + ": File exists");
  EXPECT_EQ(read_file(dir_ / "token"), "first");
}

TEST_F(PrivateFileTest, NeverFollowsASymbolicLink) {
  const fs::path target = tmp_.path() / "target";
  std::ofstream(target) << "keep";
  fs::create_symlink(target, dir_ / "token");
  EXPECT_EQ(write_private_file(dir_ / "token", "secret").code(), Errc::kIo);
  EXPECT_EQ(read_file(target), "keep");

  const fs::path dangling_target = tmp_.path() / "not-yet";
  fs::create_symlink(dangling_target, dir_ / "dangling");
  EXPECT_EQ(write_private_file(dir_ / "dangling", "secret").code(), Errc::kIo);
  EXPECT_FALSE(fs::exists(dangling_target));
}

TEST_F(PrivateFileTest, TheDirectoryMustBeAPrivateDirectoryOfOurs) {
  EXPECT_TRUE(check_private_dir(dir_).ok());

  fs::permissions(dir_, fs::perms::others_exec, fs::perm_options::add);
  EXPECT_EQ(check_private_dir(dir_).error().message,
            "the run directory " + dir_.string() + " is open to group or others (want 0700)");
  fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);

  const fs::path link = tmp_.path() / "link";
  fs::create_directory_symlink(dir_, link);
  EXPECT_EQ(check_private_dir(link).error().message,
            "the run directory " + link.string() + " is a symbolic link");

  const fs::path file = tmp_.path() / "file";
  std::ofstream(file) << "x";
  EXPECT_EQ(check_private_dir(file).error().message,
            "the run directory " + file.string() + " is not a directory");

  const Status missing = check_private_dir(tmp_.path() / "missing");
  EXPECT_EQ(missing.code(), Errc::kIo);
  EXPECT_EQ(missing.error().message, "the run directory " + (tmp_.path() / "missing").string() +
                                         " cannot be read: No such file or directory");
}

}  // namespace
}  // namespace sg::runs
