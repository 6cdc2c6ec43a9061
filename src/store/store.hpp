// Store is stackgate's durable state behind one interface, with an SQLite implementation (the
// embedded default) and a PostgreSQL one for several replicas.
//
// The app owns the one Store and hands references to the services that need it. Each later layer
// adds the operations it needs here (audit append, runs, keys…), implemented by every engine and
// covered by the shared store tests. Every operation reports an unreachable or failing database as
// kStoreUnavailable so callers can fail closed. Implementations are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sg::store {

class Store {
 public:
  virtual ~Store() = default;

  // The engine name, e.g. "sqlite".
  virtual std::string_view engine() const = 0;

  // Cheap round trip to the database, for /readyz. Errors: kStoreUnavailable.
  virtual Status ping() = 0;

  // The schema version the database is at (after migrations).
  virtual Result<int> schema_version() = 0;

  // Small key/value metadata about this installation (e.g. "instance_id", "created_at").
  // Errors: kStoreUnavailable.
  virtual Result<std::optional<std::string>> get_meta(std::string_view key) = 0;
  virtual Status put_meta(std::string_view key, std::string_view value) = 0;
};

}  // namespace sg::store
