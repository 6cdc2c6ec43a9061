// sha256_hex gives the SHA-256 digest of the concatenation of some byte strings as 64 lower-case
// hex characters: the form of every hash in the audit chain.
//
// Hashes the parts one after another (jose/sha256.hpp), so the caller never builds the
// concatenation. Pure function; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace sg::audit {

// Throws std::runtime_error only if OpenSSL itself fails (a broken machine).
std::string sha256_hex(std::initializer_list<std::string_view> parts);

// Whether `s` is 64 lower-case hex characters, the form sha256_hex returns.
bool is_sha256_hex(std::string_view s);

}  // namespace sg::audit
