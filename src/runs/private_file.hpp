// Private files in a run's directory: where per-run credentials (web-identity tokens, a cloud
// credential configuration, the state passphrase) are written for the Pulumi child to read.
//
// check_private_dir makes sure the run's directory is what the executor promised: a directory, not
// a symbolic link, owned by this process's user, with no permission for group or others (0700).
// write_private_file creates one new file with O_CREAT|O_EXCL|O_NOFOLLOW, so an existing file or a
// symbolic link planted at its name is refused, never followed or overwritten, and gives it mode
// 0600 whatever the umask. Messages name the file, never its content. Owner: runs. Plain functions;
// thread-safe (for different paths).
#pragma once

#include <filesystem>
#include <string_view>

#include "common/result.hpp"

namespace sg::runs {

// Errors: kIo ("the run directory <dir> …": is missing, is not a directory, is a symbolic link,
// belongs to another user, is open to group or others).
Status check_private_dir(const std::filesystem::path& dir);

// Errors: kIo ("cannot create <path>: <reason>", "cannot write <path>: <reason>"); a file left
// half-written is removed.
Status write_private_file(const std::filesystem::path& path, std::string_view content);

}  // namespace sg::runs
