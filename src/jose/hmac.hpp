// HMAC over the JWS signing input with OpenSSL 3's EVP_MAC, for HS256/384/512 signing and
// verification.
//
// Internal to src/jose. Length rules (secret ≥ hash length, full-length tags) are enforced by the
// callers. Pure function; thread-safe.
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/bytes.hpp"

namespace sg::jose::detail {

// The full-length tag. Errors: kInternal when OpenSSL fails.
Result<Bytes> hmac(Algorithm alg, const Bytes& secret, std::string_view data);

}  // namespace sg::jose::detail
