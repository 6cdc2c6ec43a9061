// printable() shortens and sanitises a value taken from untrusted input (a kid, a member name, a
// typ) so that it can be quoted in an error message without injecting control characters or quotes.
//
// Internal to src/jose. Only for identifiers — never pass key material or whole tokens. Pure;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sg::jose::detail {

// At most `max` characters of `s`, each byte outside printable ASCII (and `"`, `\`) replaced by
// '?', with "..." appended when shortened.
std::string printable(std::string_view s, std::size_t max = 64);

}  // namespace sg::jose::detail
