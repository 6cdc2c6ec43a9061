// Migration is one step of the store schema: a version number and the SQL that reaches it.
//
// Versions start at 1 and increase by one; a database records the highest version applied in its
// `schema_version` table. Opening a database whose version is higher than the newest migration this
// binary knows is refused (kStoreTooNew) rather than risk misreading it. Plain data; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace sg::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;  // one or more statements, applied in one transaction with the version bump
};

}  // namespace sg::store
