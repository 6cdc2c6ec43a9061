// database_file prepares the place of an SQLite database file before SQLite opens it.
//
// Missing folders on the way to the file are created with mode 0700 (every missing ancestor;
// folders that exist are left as they are), and a missing file is created empty with mode 0600,
// both set with chmod so the process umask does not matter. An existing file is left as it is.
// SQLite gives the -wal and -shm files it creates later the main file's mode. Thread-safe (no
// shared state).
#pragma once

#include <string>

#include "common/result.hpp"

namespace sg::store {

// Errors: kStoreUnavailable naming the path that could not be inspected or created and why (e.g. a
// regular file where a folder should be).
Status prepare_database_file(const std::string& path);

}  // namespace sg::store
