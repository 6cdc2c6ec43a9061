// Reads a small file named on the command line (a JWKS, a principal) whole, refusing one larger
// than a bound so a wrong path (a device, a huge log) cannot exhaust memory. Used by the
// subcommands only; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.hpp"

namespace sg::cli {

// The bytes of `path`. Errors: kIo "cannot read PATH", or "PATH is larger than N KiB".
Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes);

}  // namespace sg::cli
