// ProcessSpawner starts a child process for the executor; ChildProcess is the running child.
//
// The interface is what the executor needs and nothing more, so tests can inject a fake: the child
// gets exactly the argv, environment and working directory of the SpawnRequest (nothing of the
// parent's environment), stdin from /dev/null, and stdout and stderr as pipes whose read ends the
// handle holds. It runs in a process group of its own, whose id is its pid, so that a signal can
// reach the helpers it starts (Pulumi's language host and provider plugins) as well.
//
// A child that has exited stays a zombie until try_reap(): while it is one, its pid cannot be
// reused, so signalling its group (grandchildren left behind) hits nothing unrelated. The executor
// therefore signals the group after exited() reports an exit and before try_reap().
//
// Owner: runs. A ChildProcess is used by one thread (the executor's); a ProcessSpawner may be
// shared by threads (the POSIX one holds no state).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace sg::runs {

struct SpawnRequest {
  std::string executable;         // a path to the file to execute; no PATH search
  std::vector<std::string> argv;  // argv[0] included
  std::vector<std::string> env;   // NAME=VALUE, the child's whole environment
  std::string working_dir;        // the child's working directory
};

// How a child ended: exactly one of the two is set.
struct ExitStatus {
  std::optional<int> code;    // it exited with this code (0..255)
  std::optional<int> signal;  // a signal ended it

  friend bool operator==(const ExitStatus&, const ExitStatus&) = default;
};

class ChildProcess {
 public:
  virtual ~ChildProcess() = default;

  // The child's pid, which is also its process group id.
  virtual int pid() const = 0;
  // Read ends of the child's stdout and stderr: non-blocking, close-on-exec, owned by the handle.
  virtual int stdout_fd() const = 0;
  virtual int stderr_fd() const = 0;
  // A pidfd, readable once the child has exited; -1 when the kernel offers none (the caller then
  // calls exited() at short intervals).
  virtual int pidfd() const = 0;

  // Sends `signal` to every process of the child's group. A group that is already empty is not an
  // error. Errors: kInternal (kill(2) failed otherwise).
  virtual Status signal_group(int signal) = 0;

  // Never blocks. The status once the child has exited, leaving it a zombie; nullopt while it runs.
  // Errors: kInternal (waitid(2) failed).
  virtual Result<std::optional<ExitStatus>> exited() = 0;

  // Never blocks. Reaps the child if it has exited and returns its status (the same status on every
  // later call); nullopt while it runs. Errors: kInternal (waitid(2) failed).
  virtual Result<std::optional<ExitStatus>> try_reap() = 0;
};

class ProcessSpawner {
 public:
  virtual ~ProcessSpawner() = default;

  // Starts the child described by `request`. Errors: kInvalidArgument for an empty executable or
  // argv, an environment entry without a name and '=', or a NUL byte in any string; kUnavailable
  // when the child cannot be started — the executable is missing, not executable or not a
  // program, the working directory cannot be entered, or the system is out of processes or
  // descriptors — with a message naming the executable and the reason.
  virtual Result<std::unique_ptr<ChildProcess>> spawn(const SpawnRequest& request) = 0;
};

}  // namespace sg::runs
