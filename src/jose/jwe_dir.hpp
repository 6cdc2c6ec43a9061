// Compact JWE with direct symmetric encryption: `alg: "dir"`, `enc: "A256GCM"` (RFC 7516, RFC 7518
// §4.5 and §5.3), for sealing secrets at rest (keys/key_encryption_key.hpp), never for tokens.
//
// encrypt: protected header = `extra_header` plus alg and enc, a random 96-bit IV (RAND_bytes), an
// empty encrypted-key segment, AAD = the ASCII of the base64url protected header, a 128-bit tag.
// decrypt is strict: at most kMaxDirJweBytes, exactly five segments, an empty second one, strict
// base64url everywhere, a strict-JSON header (no duplicate members) with alg and enc exactly those,
// a 12-byte IV and a 16-byte tag. Messages never contain key material or plaintext. Pure functions
// (no I/O besides OpenSSL's random source); thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/result.hpp"

namespace sg::jose {

inline constexpr std::size_t kMaxDirJweBytes = 64 * 1024;

struct DirJwe {
  boost::json::object header;  // the protected header, alg and enc included
  std::string plaintext;       // secret: the caller wipes or protects it
};

// Encrypts `plaintext` under `key`. `extra_header` must not name alg or enc. Errors:
// kInvalidArgument (alg/enc in extra_header, or the result would exceed kMaxDirJweBytes),
// kInternal (OpenSSL failed).
Result<std::string> encrypt_dir_a256gcm(std::span<const unsigned char, 32> key,
                                        const boost::json::object& extra_header,
                                        std::string_view plaintext);

// Decrypts and authenticates `compact`. Errors: kMalformedToken (shape, encoding, header, sizes),
// kBadSignature ("cannot decrypt: wrong key or altered data"), kInternal (OpenSSL failed).
Result<DirJwe> decrypt_dir_a256gcm(std::span<const unsigned char, 32> key,
                                   std::string_view compact);

}  // namespace sg::jose
