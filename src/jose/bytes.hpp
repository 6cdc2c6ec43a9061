// Bytes is the binary buffer type of the JOSE layer (decoded base64url, signatures, key material).
//
// Text (JSON, compact tokens) stays in std::string / std::string_view; anything that may hold
// arbitrary octets is Bytes. Helpers view one as the other without copying. Plain value type; not
// synchronised.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace sg::jose {

using Bytes = std::vector<std::uint8_t>;

// Views the octets of `b` as characters (for JSON parsing of a decoded segment).
inline std::string_view as_chars(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Copies the characters of `s` into a byte buffer.
inline Bytes to_bytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

}  // namespace sg::jose
