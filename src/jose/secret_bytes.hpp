// SecretBytes owns shared-secret key material and wipes it (OPENSSL_cleanse) when destroyed.
//
// Internal to src/jose: Jwk and SigningKey hold one through shared_ptr<const SecretBytes>, so
// copies of a key share one buffer and it is wiped once, when the last copy goes. Not copyable;
// immutable after construction, so concurrent reads are thread-safe.
#pragma once

#include "jose/bytes.hpp"

namespace sg::jose::detail {

class SecretBytes {
 public:
  explicit SecretBytes(Bytes bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

}  // namespace sg::jose::detail
