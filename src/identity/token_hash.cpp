#include "identity/token_hash.hpp"

#include <cstring>

#include "jose/sha256.hpp"

namespace sg::identity {

TokenHash token_hash(std::string_view token) {
  return jose::sha256({token});
}

std::size_t TokenHashHasher::operator()(const TokenHash& h) const noexcept {
  std::size_t v = 0;  // the digest is uniformly distributed: its first bytes are a fine hash
  std::memcpy(&v, h.data(), sizeof(v));
  return v;
}

}  // namespace sg::identity
