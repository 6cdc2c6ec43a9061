#include "identity/token_hash.hpp"

#include <cstring>
#include <stdexcept>

#include <openssl/evp.h>

namespace sg::identity {

TokenHash token_hash(std::string_view token) {
  TokenHash out{};
  unsigned int len = 0;
  if (EVP_Digest(token.data(), token.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return out;
}

std::size_t TokenHashHasher::operator()(const TokenHash& h) const noexcept {
  std::size_t v = 0;  // the digest is uniformly distributed: its first bytes are a fine hash
  std::memcpy(&v, h.data(), sizeof(v));
  return v;
}

}  // namespace sg::identity
