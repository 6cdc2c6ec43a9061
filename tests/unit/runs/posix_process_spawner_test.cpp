#include "runs/posix_process_spawner.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "runs/run_test_support.hpp"

namespace sg::runs {
namespace {

using testing::eventually;
using testing::Finished;
using testing::run_to_end;

std::unique_ptr<ChildProcess> start(SpawnRequest request) {
  PosixProcessSpawner spawner;
  auto child = spawner.spawn(request);
  EXPECT_TRUE(child.ok()) << child.error().message;
  return child.ok() ? std::move(*child) : nullptr;
}

SpawnRequest sh(std::string script, std::vector<std::string> env = {"PATH=/usr/bin:/bin"}) {
  return SpawnRequest{"/bin/sh", {"sh", "-c", std::move(script)}, std::move(env), "/"};
}

TEST(PosixProcessSpawner, TheChildGetsExactlyTheGivenEnvironment) {
  auto child = start(SpawnRequest{"/usr/bin/env", {"env"}, {"A=1", "B=two words", "EMPTY="}, "/"});
  ASSERT_NE(child, nullptr);
  const Finished f = run_to_end(*child);
  EXPECT_EQ(f.out, "A=1\nB=two words\nEMPTY=\n");
  EXPECT_EQ(f.status, (ExitStatus{0, std::nullopt}));
}

TEST(PosixProcessSpawner, TheChildGetsItsArgvAndWorkingDirectory) {
  testing::TempDir tmp;
  auto child = start(SpawnRequest{
      "/bin/sh",
      {"custom-name", "-c", "tr '\\0' '|' < /proc/$$/cmdline; echo; pwd", "one", "two two"},
      {"PATH=/usr/bin:/bin"},
      tmp.str()});
  ASSERT_NE(child, nullptr);
  const Finished f = run_to_end(*child);
  EXPECT_EQ(f.out, "custom-name|-c|tr '\\0' '|' < /proc/$$/cmdline; echo; pwd|one|two two|\n" +
                       std::filesystem::canonical(tmp.path()).string() + "\n");
}

TEST(PosixProcessSpawner, StdoutAndStderrArePipesAndStdinIsDevNull) {
  auto child = start(sh("echo out; echo err >&2; cat; readlink /proc/self/fd/0"));
  ASSERT_NE(child, nullptr);
  EXPECT_NE(child->stdout_fd(), child->stderr_fd());
  EXPECT_NE(::fcntl(child->stdout_fd(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(::fcntl(child->stdout_fd(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_NE(::fcntl(child->stderr_fd(), F_GETFD) & FD_CLOEXEC, 0);
  const Finished f = run_to_end(*child);
  EXPECT_EQ(f.out, "out\n/dev/null\n");
  EXPECT_EQ(f.err, "err\n");
}

TEST(PosixProcessSpawner, TheChildInheritsNoOtherDescriptor) {
  const int leaked = ::dup(STDERR_FILENO);  // no close-on-exec: closefrom must catch it
  ASSERT_GE(leaked, 3);
  auto child = start(SpawnRequest{"/bin/ls", {"ls", "/proc/self/fd"}, {}, "/"});
  ::close(leaked);
  ASSERT_NE(child, nullptr);
  // 0, 1, 2 and the descriptor ls itself opened to list the folder.
  EXPECT_EQ(run_to_end(*child).out, "0\n1\n2\n3\n");
}

TEST(PosixProcessSpawner, TheChildLeadsItsOwnProcessGroup) {
  auto child = start(SpawnRequest{"/bin/sleep", {"sleep", "600"}, {}, "/"});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(::getpgid(child->pid()), child->pid());
  EXPECT_NE(::getpgid(child->pid()), ::getpgrp());
  ASSERT_TRUE(child->signal_group(SIGTERM).ok());
  EXPECT_EQ(run_to_end(*child).status, (ExitStatus{std::nullopt, SIGTERM}));
}

// The mask and the ignored signals of a process, from /proc/<pid>/status.
std::pair<unsigned long long, unsigned long long> blocked_and_ignored(const std::string& status) {
  const auto field = [&](std::string_view name) {
    const std::size_t at = status.find(name);
    return at == std::string::npos ? ~0ull
                                   : std::stoull(status.substr(at + name.size()), nullptr, 16);
  };
  return {field("SigBlk:\t"), field("SigIgn:\t")};
}

TEST(PosixProcessSpawner, TheChildStartsWithNoBlockedOrIgnoredSignal) {
  // As a gateway might be started: SIGINT ignored by a non-interactive shell's `&`, SIGPIPE
  // ignored by the server, some signals blocked in the spawning thread.
  sigset_t block;
  sigset_t old_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGTERM);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &block, &old_mask), 0);
  struct sigaction ignore {};
  struct sigaction old_pipe {};
  struct sigaction old_int {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe);
  ::sigaction(SIGINT, &ignore, &old_int);

  auto child = start(SpawnRequest{"/bin/cat", {"cat", "/proc/self/status"}, {}, "/"});
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGPIPE, &old_pipe, nullptr);
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ASSERT_NE(child, nullptr);
  const auto [blocked, ignored] = blocked_and_ignored(run_to_end(*child).out);
  EXPECT_EQ(blocked, 0u);
  // Signals 1 to 31 at their defaults. glibc's posix_spawn leaves its two internal signals (32
  // and 33, below SIGRTMIN) ignored; no program relies on them before setting them itself.
  EXPECT_EQ(ignored & 0x7fffffffull, 0u);
  EXPECT_EQ(ignored & ~0x7fffffffull & ~0x180000000ull, 0u);
}

TEST(PosixProcessSpawner, ReportsTheExitCodeOrTheSignal) {
  auto child = start(sh("exit 7"));
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(run_to_end(*child).status, (ExitStatus{7, std::nullopt}));
  child = start(sh("kill -KILL $$"));
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(run_to_end(*child).status, (ExitStatus{std::nullopt, SIGKILL}));
}

TEST(PosixProcessSpawner, AnExitedChildStaysAZombieUntilReaped) {
  auto child = start(sh("exit 3"));
  ASSERT_NE(child, nullptr);
  if (child->pidfd() >= 0) {
    pollfd p{child->pidfd(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 60'000), 1);  // the pidfd says when
  }
  std::optional<ExitStatus> seen;
  ASSERT_TRUE(eventually([&] {
    auto status = child->exited();
    if (status.ok()) seen = *status;
    return seen.has_value();
  }));
  EXPECT_EQ(*seen, (ExitStatus{3, std::nullopt}));
  EXPECT_TRUE(testing::process_is_dead(child->pid()));
  EXPECT_EQ(::kill(child->pid(), 0), 0);  // still there: a zombie holds the pid
  EXPECT_TRUE(child->signal_group(SIGKILL).ok());
  auto reaped = child->try_reap();
  ASSERT_TRUE(reaped.ok());
  EXPECT_EQ(*reaped, (std::optional<ExitStatus>{ExitStatus{3, std::nullopt}}));
  EXPECT_EQ(::kill(child->pid(), 0), -1);
  reaped = child->try_reap();  // the same status again
  ASSERT_TRUE(reaped.ok());
  EXPECT_EQ(*reaped, (std::optional<ExitStatus>{ExitStatus{3, std::nullopt}}));
  EXPECT_TRUE(child->signal_group(SIGKILL).ok());  // an empty group is not an error
}

TEST(PosixProcessSpawner, ARunningChildIsNotReapedOrReportedExited) {
  auto child = start(SpawnRequest{"/bin/sleep", {"sleep", "600"}, {}, "/"});
  ASSERT_NE(child, nullptr);
  auto status = child->exited();
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(status->has_value());
  status = child->try_reap();
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(status->has_value());
}

TEST(PosixProcessSpawner, ReleasingARunningChildKillsItsWholeGroup) {
  auto child = start(sh("sleep 600 & echo $!; wait"));
  ASSERT_NE(child, nullptr);
  std::string line;
  char c;
  while (line.empty() || line.back() != '\n') {
    pollfd p{child->stdout_fd(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 60'000), 1);
    ASSERT_EQ(::read(child->stdout_fd(), &c, 1), 1);
    line += c;
  }
  const int grandchild = std::stoi(line);
  const int pid = child->pid();
  child.reset();
  EXPECT_TRUE(testing::process_is_dead(pid));
  EXPECT_EQ(::kill(pid, 0), -1);  // reaped
  EXPECT_TRUE(eventually([&] { return testing::process_is_dead(grandchild); }));
}

TEST(PosixProcessSpawner, AMissingOrNonExecutableProgramIsUnavailableNamingIt) {
  PosixProcessSpawner spawner;
  auto child = spawner.spawn(SpawnRequest{"/nonexistent/pulumi", {"pulumi"}, {}, "/"});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error(),
            make_error(Errc::kUnavailable,
                       "cannot start /nonexistent/pulumi: No such file or directory"));
  testing::TempDir tmp;
  const std::string text = tmp.write("pulumi", "not a program");
  child = spawner.spawn(SpawnRequest{text, {"pulumi"}, {}, "/"});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error(),
            make_error(Errc::kUnavailable, "cannot start " + text + ": Permission denied"));
}

TEST(PosixProcessSpawner, AMissingWorkingDirectoryIsUnavailableNamingIt) {
  PosixProcessSpawner spawner;
  auto child = spawner.spawn(SpawnRequest{"/bin/true", {"true"}, {}, "/nonexistent/run"});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error(), make_error(Errc::kUnavailable,
                                      "cannot start /bin/true: working directory "
                                      "/nonexistent/run: No such file or directory"));
}

TEST(PosixProcessSpawner, RefusesMalformedRequestsWithoutEchoingTheEnvironment) {
  PosixProcessSpawner spawner;
  EXPECT_EQ(spawner.spawn(SpawnRequest{"/bin/true", {}, {}, "/"}).code(), Errc::kInvalidArgument);
  EXPECT_EQ(spawner.spawn(SpawnRequest{"", {"true"}, {}, "/"}).code(), Errc::kInvalidArgument);
  for (const std::string& entry :
       {std::string("no-equals-secret"), std::string("=secret"), std::string("A=se\0cret", 9)}) {
    auto child = spawner.spawn(SpawnRequest{"/bin/true", {"true"}, {"OK=1", entry}, "/"});
    ASSERT_FALSE(child.ok());
    EXPECT_EQ(child.error(),
              make_error(Errc::kInvalidArgument, "environment entry 1 is not NAME=VALUE"));
  }
  EXPECT_EQ(spawner.spawn(SpawnRequest{"/bin/true", {std::string("a\0b", 3)}, {}, "/"}).code(),
            Errc::kInvalidArgument);
}

}  // namespace
}  // namespace sg::runs
