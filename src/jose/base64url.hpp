// Strict base64url (RFC 4648 §5 without padding), as JWS compact serialization requires.
//
// The decoder refuses everything a lenient decoder would silently repair: padding `=`, whitespace,
// the standard-alphabet characters `+` and `/`, a length that is 1 mod 4, and non-zero unused bits
// in the last character (so every byte string has exactly one accepted encoding). Errors never echo
// the input. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "jose/bytes.hpp"

namespace sg::jose {

// Encodes `data` as base64url without padding.
std::string base64url_encode(std::string_view data);
std::string base64url_encode(const Bytes& data);

// Decodes strict unpadded base64url. Errors: kMalformedToken, naming the offending rule.
Result<Bytes> base64url_decode(std::string_view text);

}  // namespace sg::jose
