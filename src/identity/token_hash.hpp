// token_hash() gives the SHA-256 digest of a token's bytes: the key under which verified tokens and
// Backstage userinfo answers are cached, so no cache holds a token value.
//
// jose/sha256.hpp does the hashing. Pure function; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sg::identity {

using TokenHash = std::array<std::uint8_t, 32>;

// SHA-256 of `token`. Throws std::runtime_error only if OpenSSL itself fails (a broken machine).
TokenHash token_hash(std::string_view token);

struct TokenHashHasher {
  std::size_t operator()(const TokenHash& h) const noexcept;
};

}  // namespace sg::identity
