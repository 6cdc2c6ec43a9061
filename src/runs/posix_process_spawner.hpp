// PosixProcessSpawner starts children with posix_spawn(3).
//
// The child: its own process group (POSIX_SPAWN_SETPGROUP 0), an empty signal mask and every
// signal at its default disposition (a SIGPIPE the gateway ignores is not ignored in Pulumi), stdin
// from /dev/null, stdout and stderr as pipes, no other descriptor (all of the gateway's are
// close-on-exec, and descriptors 3 and up are closed in the child as well where the C library
// can), the exact environment and working directory requested. glibc's posix_spawn reports a
// failed exec or chdir as its return value, so a missing or non-executable program is an error of
// spawn(), not a child that exits 127. The handle gets a pidfd (pidfd_open(2)) where the kernel
// has one.
//
// The process must not set SIGCHLD to SIG_IGN (children would be reaped by the kernel and their
// status lost). Owner: runs. Stateless; thread-safe.
#pragma once

#include <memory>

#include "runs/process_spawner.hpp"

namespace sg::runs {

class PosixProcessSpawner final : public ProcessSpawner {
 public:
  Result<std::unique_ptr<ChildProcess>> spawn(const SpawnRequest& request) override;
};

}  // namespace sg::runs
