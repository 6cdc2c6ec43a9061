// resolve_command finds the executable file that a configured `pulumi.command` names.
//
// A command with a '/' is a path: it must name an executable regular file (a relative one is made
// absolute against the gateway's working directory, since the child starts elsewhere). A command
// without one is a name, looked up in the directories of an explicit PATH value in order — never
// the gateway's own PATH implicitly; empty and relative entries of PATH are skipped (they would
// depend on the working directory). Symbolic links are followed. Used by the executor before each
// run and by the start-up /readyz check.
//
// Owner: runs. Reads the file system only; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sg::runs {

// The absolute path of the executable `command` names. Errors: kInvalidArgument (empty, or holds
// a NUL byte); kUnavailable, naming the command: "pulumi command not found: <command>" or "pulumi
// command is not executable: <path>".
Result<std::string> resolve_command(std::string_view command, std::string_view path_env);

}  // namespace sg::runs
