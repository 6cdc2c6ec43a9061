// read_small_file reads a file that stackgate loads whole — stackgate.yaml, policy.yaml, policy
// test files, a static JWKS, a principal file — refusing one larger than a bound, so a wrong path
// (a device, a huge log) cannot exhaust memory. The one bounded reader for all of them.
//
// Messages do not repeat the path: callers say which file it was and why they read it. Pure apart
// from reading the one file; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.hpp"

namespace sg {

// The bytes of `path`. Errors: kIo, "cannot read the file: <reason>" or "the file is larger than
// N MiB" (or "N KiB" when `max_bytes` is not a whole number of MiB).
Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes);

}  // namespace sg
