#include "runs/execution.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "runs/command_path.hpp"
#include "runs/event_log_reader.hpp"
#include "runs/file_tree.hpp"

namespace sg::runs {
namespace {

const std::string kHomeName = "home";
const std::string kEventLogName = "events.jsonl";
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr int kReadsPerTurn = 16;  // 1 MiB of a stream per turn; then the event log's turn
// After the exit, helpers that left the process group (setsid) may hold the pipes open: their
// output is read until EOF, for at most this many turns without data, and this many in all.
constexpr int kDrainIdleTurns = 40;
constexpr int kDrainTurns = 400;

// `path` made absolute, without a trailing '/'.
std::string absolute_path(const std::string& path) {
  std::error_code ec;
  std::string abs = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec) abs = path;
  while (abs.size() > 1 && abs.back() == '/')
    abs.pop_back();
  return abs;
}

// What the execution made in the run directory; removed on every way out of run().
class RunFiles {
 public:
  explicit RunFiles(int dir_fd) : dir_fd_(dir_fd) {}
  ~RunFiles() { (void)remove(); }
  RunFiles(const RunFiles&) = delete;
  RunFiles& operator=(const RunFiles&) = delete;

  void made_home() { home_ = true; }
  void made_event_log() { event_log_ = true; }

  Status remove() {
    Status first;
    if (home_) first = remove_tree(dir_fd_, kHomeName);
    if (event_log_) {
      Status log = remove_tree(dir_fd_, kEventLogName);
      if (first.ok() && !log.ok()) first = log;
    }
    home_ = event_log_ = false;
    return first;
  }

 private:
  int dir_fd_;
  bool home_ = false;
  bool event_log_ = false;
};

std::chrono::milliseconds until(Time now, Time when) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::ceil<std::chrono::milliseconds>(when - now));
}

}  // namespace

// The loop of step 3 and 4 of run(): one child, from its start until it is reaped and drained.
class Execution::Watch {
 public:
  Watch(Execution& execution, ChildProcess& child, const std::string& event_log,
        ExecutionOutcome& out)
      : execution_(execution),
        child_(child),
        tail_(event_log),
        out_(out),
        out_fd_(child.stdout_fd()),
        err_fd_(child.stderr_fd()),
        buffer_(kReadChunk, '\0') {
    const auto timeout = execution.request_.timeout;
    if (timeout > std::chrono::milliseconds(0)) deadline_ = out.started + timeout;
  }

  ExitStatus run() {
    while (true) {
      wait_for_activity();
      read_output(out_fd_, OutputStream::kStdout);
      read_output(err_fd_, OutputStream::kStderr);
      read_events(false);
      auto status = child_.exited();
      if (!status.ok() || status->has_value()) break;  // an error: nothing left to wait for
      check_timers(execution_.clock_.now());
    }
    // The zombie keeps the group's id reserved, so this reaches only what the child left behind.
    (void)child_.signal_group(SIGKILL);
    auto reaped = child_.try_reap();
    drain_output();
    read_events(true);
    return reaped.ok() && reaped->has_value() ? **reaped : ExitStatus{};
  }

  Interrupt interrupt() const { return interrupt_; }
  bool stack_locked() const { return stack_locked_; }

 private:
  void wait_for_activity() {
    const Time now = execution_.clock_.now();
    auto wait = kPollInterval;
    if (interrupt_ == Interrupt::kNone && deadline_) wait = std::min(wait, until(now, *deadline_));
    if (kill_at_ && !out_.killed) wait = std::min(wait, until(now, *kill_at_));
    std::array<pollfd, 4> fds{};
    nfds_t n = 0;
    for (int fd : {out_fd_, err_fd_, child_.pidfd(), execution_.wake_.get()}) {
      if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
    }
    if (::poll(fds.data(), n, static_cast<int>(wait.count())) <= 0) return;  // EINTR: a turn
    if ((fds[n - 1].revents & POLLIN) != 0) {
      std::uint64_t count = 0;  // reset the eventfd; cancel_requested_ holds the news
      const ssize_t ignored = ::read(execution_.wake_.get(), &count, sizeof count);
      (void)ignored;
    }
  }

  void read_output(int& fd, OutputStream stream) {
    if (fd < 0) return;
    for (int i = 0; i < kReadsPerTurn; ++i) {
      const ssize_t n = ::read(fd, buffer_.data(), buffer_.size());
      if (n > 0) {
        deliver(stream, std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      fd = -1;  // EOF (or a broken pipe): the stream is over; the handle closes the descriptor
      return;
    }
  }

  void deliver(OutputStream stream, std::string_view bytes) {
    if (stream == OutputStream::kStdout) {
      out_.stdout_tail.append(bytes);
    } else {
      out_.stderr_tail.append(bytes);
      if (!stack_locked_) {
        // The marker may be split between two reads; the tail may have dropped it by the end.
        stderr_window_.append(bytes);
        stack_locked_ = mentions_locked_stack(stderr_window_);
        const std::size_t keep = locked_stack_marker_bytes() - 1;
        if (stderr_window_.size() > keep) stderr_window_.erase(0, stderr_window_.size() - keep);
      }
    }
    if (execution_.callbacks_.on_output) execution_.callbacks_.on_output(stream, bytes);
  }

  void read_events(bool final) {
    if (!out_.event_log_error.empty()) return;
    auto lines = final ? tail_.finish() : tail_.poll();
    if (!lines.ok()) {
      out_.event_log_error = lines.error().message;
      return;
    }
    for (const LineEvent& line : *lines) {
      if (!line.event.ok()) {
        out_.summary.add_malformed();
        continue;
      }
      out_.summary.add(*line.event);
      if (execution_.callbacks_.on_event) execution_.callbacks_.on_event(*line.event, line.text);
    }
    if (!lines->empty() && execution_.callbacks_.on_events_read) {
      execution_.callbacks_.on_events_read();
    }
  }

  void check_timers(Time now) {
    if (interrupt_ == Interrupt::kNone) {
      if (execution_.cancel_requested_.load()) {
        send_interrupt(Interrupt::kCancel, now);
      } else if (deadline_ && now >= *deadline_) {
        send_interrupt(Interrupt::kTimeout, now);
      }
    } else if (!out_.killed && kill_at_ && now >= *kill_at_) {
      (void)child_.signal_group(SIGKILL);
      out_.killed = true;
    }
  }

  void send_interrupt(Interrupt why, Time now) {
    (void)child_.signal_group(SIGINT);
    interrupt_ = why;
    kill_at_ = now + execution_.request_.cancel_grace;
    out_.cancelled = why == Interrupt::kCancel;
    out_.timed_out = why == Interrupt::kTimeout;
  }

  void drain_output() {
    read_output(out_fd_, OutputStream::kStdout);
    read_output(err_fd_, OutputStream::kStderr);
    int idle = 0;
    for (int turn = 0; turn < kDrainTurns && idle < kDrainIdleTurns; ++turn) {
      std::array<pollfd, 2> fds{};
      nfds_t n = 0;
      for (int fd : {out_fd_, err_fd_}) {
        if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
      }
      if (n == 0) return;
      if (::poll(fds.data(), n, static_cast<int>(kPollInterval.count())) == 0) {
        ++idle;
        continue;
      }
      read_output(out_fd_, OutputStream::kStdout);
      read_output(err_fd_, OutputStream::kStderr);
    }
  }

  Execution& execution_;
  ChildProcess& child_;
  EventLogTail tail_;
  ExecutionOutcome& out_;
  int out_fd_;
  int err_fd_;
  std::string buffer_;
  std::string stderr_window_;
  bool stack_locked_ = false;
  Interrupt interrupt_ = Interrupt::kNone;
  std::optional<Time> deadline_;
  std::optional<Time> kill_at_;
};

Execution::Execution(ExecutionRequest request, const Environment& gateway_env,
                     ProcessSpawner& spawner, const Clock& clock, ExecutionCallbacks callbacks)
    : request_(std::move(request)),
      gateway_env_(gateway_env),
      spawner_(spawner),
      clock_(clock),
      callbacks_(std::move(callbacks)),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!wake_.valid()) throw std::system_error(errno, std::generic_category(), "eventfd");
}

Execution::~Execution() = default;

void Execution::cancel() {
  if (cancel_requested_.exchange(true)) return;
  const std::uint64_t one = 1;
  const ssize_t ignored = ::write(wake_.get(), &one, sizeof one);  // cannot fail short of EBADF
  (void)ignored;
}

Result<ExecutionOutcome> Execution::run() {
  if (ran_) return make_error(Errc::kInternal, "an execution runs once");
  ran_ = true;
  ExecutionOutcome out;
  out.started = clock_.now();
  out.stdout_tail = OutputTail(request_.max_output_bytes);
  out.stderr_tail = OutputTail(request_.max_output_bytes);

  if (request_.run_dir.empty() || request_.project_dir.empty()) {
    return make_error(Errc::kInvalidArgument,
                      "a run needs a run directory and a project directory");
  }
  const std::string run_dir = absolute_path(request_.run_dir);
  const std::string home = run_dir + "/" + kHomeName;
  const std::string event_log = run_dir + "/" + kEventLogName;
  auto argv =
      build_argv(CommandLine{request_.command, request_.operation, request_.stack,
                             absolute_path(request_.project_dir), event_log, request_.message});
  if (!argv) return argv.error();
  auto env = build_environment(gateway_env_, RunPaths{request_.run_id, run_dir, home},
                               request_.credentials);
  if (!env) return env.error();

  auto finish = [&](RunStatus status, std::string reason) {
    out.status = status;
    out.reason = std::move(reason);
    out.finished = clock_.now();
    return std::move(out);
  };
  if (cancel_requested_.load()) {
    out.cancelled = true;
    return finish(RunStatus::kCancelled, "cancelled before Pulumi started");
  }
  const std::string* path = find_variable(*env, "PATH");
  auto executable = resolve_command(request_.command, path != nullptr ? *path : "");
  if (!executable) return finish(RunStatus::kFailed, executable.error().message);

  const UniqueFd dir(::open(run_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) {
    return make_error(Errc::kIo,
                      "cannot open run directory " + run_dir + ": " + std::strerror(errno));
  }
  RunFiles files(dir.get());  // before the child: an unwinding run kills the child first
  if (auto made = make_private_dir(dir.get(), kHomeName); !made) {
    return make_error(Errc::kIo,
                      "run directory " + run_dir + " is not fresh: " + made.error().message);
  }
  files.made_home();
  // Made here, empty and private, so the log the tail reads is the one Pulumi truncates and fills.
  if (!UniqueFd(::openat(dir.get(), kEventLogName.c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600))
           .valid()) {
    return make_error(Errc::kIo, "run directory " + run_dir + " is not fresh: cannot create " +
                                     kEventLogName + ": " + std::strerror(errno));
  }
  files.made_event_log();

  auto child = spawner_.spawn(
      SpawnRequest{*executable, std::move(*argv), environment_entries(*env), run_dir});
  if (!child) {
    if (auto removed = files.remove(); !removed) out.cleanup_error = removed.error().message;
    return finish(RunStatus::kFailed, child.error().message);
  }
  if (callbacks_.on_started) callbacks_.on_started((*child)->pid());
  Watch watch(*this, **child, event_log, out);
  out.exit = watch.run();
  child->reset();  // reaped: closes its pipes and pidfd
  Verdict verdict = decide_verdict(
      ExitFacts{out.exit, watch.interrupt(), out.killed, watch.stack_locked(), request_.timeout});
  if (auto removed = files.remove(); !removed) out.cleanup_error = removed.error().message;
  return finish(verdict.status, std::move(verdict.reason));
}

}  // namespace sg::runs
