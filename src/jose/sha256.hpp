// sha256() gives the SHA-256 digest of the concatenation of some byte strings: the one digest
// routine behind the verified-token cache keys (identity/token_hash) and the audit chain
// (audit/sha256). Hashes the parts one after another, so callers never build the concatenation.
//
// Uses OpenSSL's EVP interface with SHA-256 fetched once per process (OpenSSL 3 fetches by name on
// every implicit EVP_sha256() use) and one digest context per thread. Pure function; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace sg::jose {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Throws std::runtime_error only if OpenSSL itself fails (a broken machine).
Sha256Digest sha256(std::initializer_list<std::string_view> parts);

}  // namespace sg::jose
