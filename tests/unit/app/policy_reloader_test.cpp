#include "app/policy_reloader.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "policy/policy_loader.hpp"

namespace sg::app {
namespace {

namespace fs = std::filesystem;

const char* kGood =
    "roles:\n  - name: r\n    rules:\n      - allow: [read]\n        stacks: ['*']\n";
const char* kBroken =
    "roles:\n  - name: r\n    rules:\n      - allow: [fly]\n        stacks: ['*']\n";

struct PolicyReloaderTest : ::testing::Test {
  fs::path dir =
      fs::temp_directory_path() / ("sg-reloader-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::path file = dir / "policy.yaml";
  struct DevNull {
    int fd = ::open("/dev/null", O_WRONLY);
    ~DevNull() { ::close(fd); }
  } null;  // declared before the logger, so closed after it
  Logger log{null.fd};
  SystemClock clock;
  std::unique_ptr<policy::PolicyHolder> holder;

  void SetUp() override {
    fs::create_directories(dir);
    write(kGood);
    auto loaded = policy::load_policy_file(file.string());
    ASSERT_NE(loaded.policy, nullptr);
    holder = std::make_unique<policy::PolicyHolder>(loaded.policy, true, clock.now());
  }
  void TearDown() override { fs::remove_all(dir); }
  void write(const std::string& text) { std::ofstream(file) << text; }
};

TEST_F(PolicyReloaderTest, ReloadInstallsAGoodPolicy) {
  PolicyReloader reloader(file.string(), *holder, log, clock, std::chrono::hours(1));
  write(std::string(kGood) + "  - name: s\n    rules: []\n");
  EXPECT_TRUE(reloader.reload("test"));
  EXPECT_EQ(holder->status().generation, 2U);
  EXPECT_EQ(holder->current()->roles().size(), 2U);
}

TEST_F(PolicyReloaderTest, ReloadRefusesABrokenPolicyAndKeepsTheOldOne) {
  PolicyReloader reloader(file.string(), *holder, log, clock, std::chrono::hours(1));
  auto before = holder->current();
  write(kBroken);
  EXPECT_FALSE(reloader.reload("test"));
  EXPECT_EQ(holder->current(), before);
  auto st = holder->status();
  EXPECT_TRUE(st.last_reload_failed);
  EXPECT_NE(st.last_error.find("policy.yaml:4:17: roles[0].rules[0].allow[0]: expected one of"),
            std::string::npos)
      << st.last_error;
}

TEST_F(PolicyReloaderTest, ReloadOfAMissingFileIsRefused) {
  PolicyReloader reloader(file.string(), *holder, log, clock, std::chrono::hours(1));
  fs::remove(file);
  EXPECT_FALSE(reloader.reload("test"));
  EXPECT_NE(holder->status().last_error.find("cannot read the file"), std::string::npos);
}

TEST_F(PolicyReloaderTest, AChangedFileIsPickedUpByTheWatcher) {
  PolicyReloader reloader(file.string(), *holder, log, clock, std::chrono::milliseconds(5));
  reloader.start();
  // Replace the file (a new inode, as editors and ConfigMaps do).
  fs::path next = dir / "next.yaml";
  std::ofstream(next) << std::string(kGood) + "  - name: s\n    rules: []\n";
  fs::rename(next, file);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (holder->status().generation < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  EXPECT_EQ(holder->status().generation, 2U);
  EXPECT_EQ(holder->current()->roles().size(), 2U);
}

}  // namespace
}  // namespace sg::app
