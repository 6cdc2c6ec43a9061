// Opens the store a stackgate.yaml names, for the commands that read it (`audit verify`, `audit
// keys`, `audit export`, `keys rotate`, `keys list`).
//
// Unlike `serve`, it never creates a database: a SQLite file that does not exist is an error,
// because a new empty store would verify as an intact, empty audit log. The configuration's
// diagnostics (file:line:column: message) and any error, prefixed with `command`, are written to
// `err`. Used by the subcommands only; not thread-safe (writes to the stream it is given).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "store/store.hpp"

namespace sg::cli {

// The opened store, or null after printing why not. When `config` is given, it receives the loaded
// configuration.
std::unique_ptr<store::Store> open_configured_store(const std::string& config_path,
                                                    std::string_view command, std::ostream& err,
                                                    config::Config* config = nullptr);

}  // namespace sg::cli
