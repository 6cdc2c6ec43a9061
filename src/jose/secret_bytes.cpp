#include "jose/secret_bytes.hpp"

#include <openssl/crypto.h>

namespace sg::jose::detail {

SecretBytes::~SecretBytes() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

}  // namespace sg::jose::detail
