// open_store() opens the Store a configuration names: the SQLite file (created and migrated as
// needed) or, later, PostgreSQL. Shared by `serve` and the CLI commands that read the store
// (`audit verify`, `audit export`). The caller owns the returned Store. Thread-safe.
#pragma once

#include <memory>

#include "common/result.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace sg::app {

// Errors: kStoreUnavailable, kStoreTooNew, kInvalidConfig (an engine this build lacks).
Result<std::unique_ptr<store::Store>> open_store(const config::StoreConfig& cfg);

}  // namespace sg::app
