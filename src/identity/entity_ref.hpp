// Backstage entity references as they appear in user tokens: `user:default/jane.doe`.
//
// A user entity ref is `<kind>:<namespace>/<name>` with kind "user" (case-insensitive), a non-empty
// namespace and name of printable ASCII without whitespace, quotes, backslash, ':' or '/', and at
// most kMaxEntityRefBytes in all. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace sg::identity {

inline constexpr std::size_t kMaxEntityRefBytes = 256;

bool is_user_entity_ref(std::string_view ref);

}  // namespace sg::identity
