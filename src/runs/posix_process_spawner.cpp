#include "runs/posix_process_spawner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "common/unique_fd.hpp"

namespace sg::runs {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

Error cannot_start(const SpawnRequest& request, std::string_view why) {
  return make_error(Errc::kUnavailable,
                    "cannot start " + request.executable + ": " + std::string(why));
}

bool has_nul(std::string_view s) {
  return s.find('\0') != std::string_view::npos;
}

Status check(const SpawnRequest& request) {
  if (request.executable.empty() || request.argv.empty()) {
    return make_error(Errc::kInvalidArgument, "a child needs an executable and an argv[0]");
  }
  if (has_nul(request.executable) || has_nul(request.working_dir)) {
    return make_error(Errc::kInvalidArgument, "a path to start a child in holds a NUL byte");
  }
  for (const auto& arg : request.argv) {
    if (has_nul(arg)) return make_error(Errc::kInvalidArgument, "an argument holds a NUL byte");
  }
  for (std::size_t i = 0; i < request.env.size(); ++i) {
    const std::string& entry = request.env[i];
    const std::size_t eq = entry.find('=');
    if (eq == 0 || eq == std::string::npos || has_nul(entry)) {
      // The entry itself stays out of the message: it may hold a credential.
      return make_error(Errc::kInvalidArgument,
                        "environment entry " + std::to_string(i) + " is not NAME=VALUE");
    }
  }
  return {};
}

ExitStatus status_of(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) return ExitStatus{info.si_status, std::nullopt};
  return ExitStatus{std::nullopt, info.si_status};  // CLD_KILLED, CLD_DUMPED
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);  // close-on-exec by definition
  return fd < 0 ? -1 : static_cast<int>(fd);
#else
  (void)pid;
  return -1;
#endif
}

class PosixChild final : public ChildProcess {
 public:
  PosixChild(pid_t pid, UniqueFd out, UniqueFd err, UniqueFd pidfd)
      : pid_(pid), out_(std::move(out)), err_(std::move(err)), pidfd_(std::move(pidfd)) {}

  // A child still here when its handle goes is killed with its group and reaped, so no process
  // and no zombie outlives the handle.
  ~PosixChild() override {
    if (reaped_) return;
    ::kill(-pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  PosixChild(const PosixChild&) = delete;
  PosixChild& operator=(const PosixChild&) = delete;

  int pid() const override { return pid_; }
  int stdout_fd() const override { return out_.get(); }
  int stderr_fd() const override { return err_.get(); }
  int pidfd() const override { return pidfd_.get(); }

  Status signal_group(int signal) override {
    if (::kill(-pid_, signal) == 0 || errno == ESRCH) return {};
    return make_error(Errc::kInternal, "cannot signal process group " + std::to_string(pid_) +
                                           ": " + errno_text(errno));
  }

  Result<std::optional<ExitStatus>> exited() override { return wait(WNOWAIT); }

  Result<std::optional<ExitStatus>> try_reap() override {
    auto status = wait(0);
    if (status.ok() && status->has_value()) reaped_ = true;
    return status;
  }

 private:
  Result<std::optional<ExitStatus>> wait(int extra_flags) {
    if (status_) return status_;
    siginfo_t info;
    std::memset(&info, 0, sizeof info);  // si_pid stays 0 when nothing has exited
    while (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | extra_flags) != 0) {
      if (errno != EINTR) {
        return make_error(Errc::kInternal, "cannot wait for child " + std::to_string(pid_) + ": " +
                                               errno_text(errno));
      }
    }
    if (info.si_pid == 0) return std::optional<ExitStatus>{};
    const ExitStatus status = status_of(info);
    if ((extra_flags & WNOWAIT) == 0) status_ = status;
    return std::optional<ExitStatus>{status};
  }

  pid_t pid_;
  UniqueFd out_;
  UniqueFd err_;
  UniqueFd pidfd_;
  bool reaped_ = false;
  std::optional<ExitStatus> status_;  // once reaped
};

// The spawn attributes and file actions, destroyed on every path.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

// A pipe whose read end is non-blocking; both ends close-on-exec.
Status make_pipe(const SpawnRequest& request, UniqueFd& read_end, UniqueFd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return cannot_start(request, "pipe: " + errno_text(errno));
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  const int flags = ::fcntl(fds[0], F_GETFL);
  if (flags < 0 || ::fcntl(fds[0], F_SETFL, flags | O_NONBLOCK) != 0) {
    return cannot_start(request, "fcntl: " + errno_text(errno));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> PosixProcessSpawner::spawn(const SpawnRequest& request) {
  if (auto ok = check(request); !ok) return ok.error();
  UniqueFd out_read, out_write, err_read, err_write;
  if (auto ok = make_pipe(request, out_read, out_write); !ok) return ok.error();
  if (auto ok = make_pipe(request, err_read, err_write); !ok) return ok.error();

  SpawnSetup setup;
  sigset_t none;
  sigset_t all;
  sigemptyset(&none);
  sigfillset(&all);
  int rc = posix_spawnattr_setflags(
      &setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  if (rc == 0) rc = posix_spawnattr_setpgroup(&setup.attr, 0);
  if (rc == 0) rc = posix_spawnattr_setsigmask(&setup.attr, &none);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(&setup.attr, &all);
  if (rc == 0) {
    rc = posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&setup.actions, out_write.get(), 1);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&setup.actions, err_write.get(), 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
#endif
  if (rc == 0 && !request.working_dir.empty()) {
    rc = posix_spawn_file_actions_addchdir_np(&setup.actions, request.working_dir.c_str());
  }
  if (rc != 0) return cannot_start(request, "posix_spawn setup: " + errno_text(rc));

  std::vector<char*> argv;
  argv.reserve(request.argv.size() + 1);
  for (const auto& arg : request.argv)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(request.env.size() + 1);
  for (const auto& entry : request.env)
    envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  pid_t pid = -1;
  rc = ::posix_spawn(&pid, request.executable.c_str(), &setup.actions, &setup.attr, argv.data(),
                     envp.data());
  if (rc != 0) {
    // glibc runs the chdir before the exec; name the directory when it is the one missing.
    if ((rc == ENOENT || rc == ENOTDIR || rc == EACCES) && !request.working_dir.empty() &&
        ::access(request.working_dir.c_str(), X_OK) != 0) {
      return cannot_start(request,
                          "working directory " + request.working_dir + ": " + errno_text(rc));
    }
    return cannot_start(request, errno_text(rc));
  }
  // Already done in the child before exec; repeated so the group exists whatever the C library.
  // EACCES (the child has exec'd) is expected.
  ::setpgid(pid, pid);
  return std::unique_ptr<ChildProcess>(std::make_unique<PosixChild>(
      pid, std::move(out_read), std::move(err_read), UniqueFd(open_pidfd(pid))));
}

}  // namespace sg::runs
