#include "runs/command_path.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "runs/run_test_support.hpp"

namespace sg::runs {
namespace {

namespace fs = std::filesystem;

class CommandPathTest : public ::testing::Test {
 protected:
  std::string executable(std::string_view relative) {
    const std::string path = tmp_.write(relative, "#!/bin/sh\nexit 0\n");
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
    return path;
  }
  std::string plain_file(std::string_view relative) { return tmp_.write(relative, "text"); }

  testing::TempDir tmp_;
};

TEST_F(CommandPathTest, ANameIsLookedUpOnThePathInOrder) {
  const std::string first = executable("a/pulumi");
  executable("b/pulumi");
  const std::string path_env = tmp_.str("empty") + ":" + tmp_.str("a") + ":" + tmp_.str("b");
  auto found = resolve_command("pulumi", path_env);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, first);
  found = resolve_command("pulumi", tmp_.str("b") + "/:" + tmp_.str("a"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, tmp_.str("b/pulumi"));
}

TEST_F(CommandPathTest, ANonExecutableMatchGivesWayToALaterExecutableOne) {
  plain_file("a/pulumi");
  tmp_.mkdir("b/pulumi");  // a directory of that name
  const std::string later = executable("c/pulumi");
  auto found = resolve_command("pulumi", tmp_.str("a") + ":" + tmp_.str("b") + ":" + tmp_.str("c"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, later);
  auto refused = resolve_command("pulumi", tmp_.str("a") + ":" + tmp_.str("b"));
  EXPECT_EQ(refused.error(), make_error(Errc::kUnavailable, "pulumi command is not executable: " +
                                                                tmp_.str("a/pulumi")));
}

TEST_F(CommandPathTest, ANameNotOnThePathIsNotFound) {
  executable("a/pulumi");
  EXPECT_EQ(resolve_command("pulumi", tmp_.str("b")).error(),
            make_error(Errc::kUnavailable, "pulumi command not found: pulumi"));
  EXPECT_EQ(resolve_command("pulumi", "").error(),
            make_error(Errc::kUnavailable, "pulumi command not found: pulumi"));
}

TEST_F(CommandPathTest, EmptyAndRelativePathEntriesAreSkipped) {
  const std::string name = "sg-command-path-test-" + std::to_string(::getpid());
  const fs::path in_cwd = fs::current_path() / name;
  fs::copy_file(executable("x/tool"), in_cwd);
  for (const std::string& path_env : {std::string(""), std::string(":"), std::string("."),
                                      std::string("./"), std::string("::.:" + tmp_.str("none"))}) {
    EXPECT_EQ(resolve_command(name, path_env).code(), Errc::kUnavailable) << path_env;
  }
  fs::remove(in_cwd);
}

TEST_F(CommandPathTest, APathIsCheckedNotSearched) {
  const std::string path = executable("bin/pulumi");
  auto found = resolve_command(path, "");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, path);
  EXPECT_EQ(resolve_command(tmp_.str("bin/nope"), tmp_.str("bin")).error(),
            make_error(Errc::kUnavailable, "pulumi command not found: " + tmp_.str("bin/nope")));
  EXPECT_EQ(
      resolve_command(plain_file("bin/text"), "").error(),
      make_error(Errc::kUnavailable, "pulumi command is not executable: " + tmp_.str("bin/text")));
  EXPECT_EQ(resolve_command(tmp_.str("bin"), "").error(),
            make_error(Errc::kUnavailable, "pulumi command is not executable: " + tmp_.str("bin")));
}

TEST_F(CommandPathTest, ARelativePathIsMadeAbsoluteAgainstTheWorkingDirectory) {
  const std::string name = "sg-command-path-rel-" + std::to_string(::getpid());
  const fs::path in_cwd = fs::current_path() / name;
  fs::copy_file(executable("x/tool"), in_cwd);
  auto found = resolve_command("./" + name, "");
  fs::remove(in_cwd);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, in_cwd.string());
}

TEST_F(CommandPathTest, ALinkToAnExecutableIsFollowed) {
  const std::string target = executable("real/pulumi-3.260");
  tmp_.mkdir("bin");
  fs::create_symlink(target, tmp_.str("bin/pulumi"));
  auto found = resolve_command("pulumi", tmp_.str("bin"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, tmp_.str("bin/pulumi"));
}

TEST_F(CommandPathTest, AnEmptyCommandOrANulByteIsInvalid) {
  EXPECT_EQ(resolve_command("", "/usr/bin").code(), Errc::kInvalidArgument);
  EXPECT_EQ(resolve_command(std::string("pulumi\0x", 8), "/usr/bin").code(),
            Errc::kInvalidArgument);
}

}  // namespace
}  // namespace sg::runs
