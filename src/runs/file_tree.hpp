// The run's private files: a directory only the gateway's user can enter, and a removal that
// cannot be steered out of the run directory.
//
// What a Pulumi run leaves under PULUMI_HOME was written by the CLI, its plugins and the user's
// program, which may have made symbolic links (to anywhere), read-only directories (Go's module
// cache does) or deep trees. remove_tree never follows a link — a link is removed, never its
// target — and opens each directory relative to its parent with O_NOFOLLOW, so a directory swapped
// for a link during the removal is not entered. Directories are made writable (0700) before their
// entries are removed. Nesting deeper than kMaxDepth is left in place and reported rather than
// using one descriptor per level without bound.
//
// Owner: runs. Functions on descriptors the caller owns; thread-safe for distinct trees.
#pragma once

#include <string>

#include "common/result.hpp"

namespace sg::runs {

inline constexpr int kMaxTreeDepth = 128;

// Creates directory `name` in the directory open as `dir_fd`, with mode exactly 0700 whatever the
// umask. Errors: kIo (it exists already — a run directory must be fresh — or mkdir failed).
Status make_private_dir(int dir_fd, const std::string& name);

// Removes `name` (a file, link or directory tree) from the directory open as `dir_fd`. A missing
// `name` is not an error. Errors: kIo naming the first entry that could not be removed (relative
// to `dir_fd`); the removal goes on with the other entries.
Status remove_tree(int dir_fd, const std::string& name);

}  // namespace sg::runs
