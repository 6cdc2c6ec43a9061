// VerifyTemplates caches, for one public key, an initialised EVP DigestVerify context per JWS
// algorithm, so a verification copies a ready context instead of fetching the digest and the
// signature algorithm by name and configuring padding every time (OpenSSL 3.0 does that work on
// each EVP_DigestVerifyInit).
//
// Internal to src/jose: a Jwk holding a public key owns one through shared_ptr, so copies of the
// key share it. A template is built lazily, on the first verification with that algorithm, by
// exactly one thread (a mutex guards building; readers load an atomic pointer); once published it
// is never modified or freed until the key goes. Callers only read it: each verification copies it
// with EVP_MD_CTX_copy_ex into a fresh context of its own and verifies with that copy. Concurrent
// copies of one const template are exercised by SignatureVerify.ConcurrentVerificationsShareOneKey
// (tests/unit/jose/signature_test.cpp, run under the ASan build). Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <mutex>

#include <openssl/types.h>

#include "jose/algorithm.hpp"

namespace sg::jose::detail {

class VerifyTemplates {
 public:
  VerifyTemplates() = default;
  VerifyTemplates(const VerifyTemplates&) = delete;
  VerifyTemplates& operator=(const VerifyTemplates&) = delete;
  ~VerifyTemplates();

  // The template context for verifying `alg` with `pkey` (always the key this object belongs
  // to), built on first use: digest (none for EdDSA), key and, for RS*/PS*, the padding of
  // signature.hpp. Null when OpenSSL cannot set it up; a later call tries again.
  const EVP_MD_CTX* get(Algorithm alg, EVP_PKEY* pkey);

 private:
  static constexpr std::size_t kSlots = static_cast<std::size_t>(Algorithm::kHS512) + 1;

  std::mutex build_mu_;
  std::array<std::atomic<EVP_MD_CTX*>, kSlots> slots_{};
};

}  // namespace sg::jose::detail
