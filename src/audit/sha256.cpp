#include "audit/sha256.hpp"

#include "jose/sha256.hpp"

namespace sg::audit {

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  const jose::Sha256Digest digest = jose::sha256(parts);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(64, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  // Every character looked at, without a branch per character.
  bool hex = true;
  for (char c : s)
    hex &= (c >= '0' && c <= '9') | (c >= 'a' && c <= 'f');
  return hex;
}

}  // namespace sg::audit
