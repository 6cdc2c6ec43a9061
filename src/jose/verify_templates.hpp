// VerifyTemplates keeps, for one public key, what a JWS signature check needs ready, so a
// verification does not fetch digests and signature algorithms by name, or configure padding, every
// time (OpenSSL 3.0 does that work in each EVP_*_init):
//   - RS*/PS*/ES*: a small pool of EVP_PKEY_CTX per algorithm, initialised for EVP_PKEY_verify over
//     a digest (padding, PSS salt length and MGF1 digest, signature digest). A verification leases
//     one, verifies the digest it computed, and returns it — the way `openssl speed` measures
//     verify — instead of copying a whole DigestVerify context per call.
//   - EdDSA: Ed25519 has no separate digest step, so a read-only initialised DigestVerify template
//     that each verification copies.
//
// Internal to src/jose: a Jwk holding a public key owns one through shared_ptr, so copies of the
// key share it. A leased context is used by exactly one thread until it is returned; the pool and
// the lazily built templates are guarded by a mutex (templates are published through atomics and
// never modified or freed until the key goes). Concurrent use of one key is exercised by
// SignatureVerify.ConcurrentVerificationsShareOneKey (tests/unit/jose/verify_templates_test.cpp,
// run under the ASan build). Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <mutex>
#include <vector>

#include <openssl/types.h>

#include "jose/algorithm.hpp"
#include "jose/ossl.hpp"

namespace sg::jose::detail {

class VerifyTemplates {
 public:
  // At most this many idle contexts are kept per algorithm; more concurrent verifications build
  // contexts of their own, which are freed when returned to a full pool.
  static constexpr std::size_t kMaxIdle = 16;

  VerifyTemplates() = default;
  VerifyTemplates(const VerifyTemplates&) = delete;
  VerifyTemplates& operator=(const VerifyTemplates&) = delete;
  ~VerifyTemplates();

  // A verification context for `alg` (RS*, PS* or ES*) over `pkey` (always the key this object
  // belongs to), for this caller alone: from the pool, or built. Null when OpenSSL cannot set it
  // up.
  ossl::PkeyCtx lease(Algorithm alg, EVP_PKEY* pkey);
  // Gives back a context from lease() after a verification that succeeded; one that saw a failure
  // is simply dropped by the caller, so no context carries state from a rejected signature.
  void give_back(Algorithm alg, ossl::PkeyCtx ctx);

  // The EdDSA template context, built on first use; callers copy it and never modify it. Null when
  // OpenSSL cannot set it up; a later call tries again.
  const EVP_MD_CTX* eddsa_template(EVP_PKEY* pkey);

  // The digest of `alg` (null for EdDSA), fetched once per process.
  static const EVP_MD* digest_of(Algorithm alg);

 private:
  static constexpr std::size_t kSlots = static_cast<std::size_t>(Algorithm::kHS512) + 1;

  std::mutex mu_;
  std::array<std::vector<EVP_PKEY_CTX*>, kSlots> idle_;  // guarded by mu_
  std::atomic<EVP_MD_CTX*> eddsa_{nullptr};              // built under mu_
};

}  // namespace sg::jose::detail
