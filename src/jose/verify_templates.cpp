#include "jose/verify_templates.hpp"

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "jose/ossl.hpp"

namespace sg::jose::detail {
namespace {

// The digest of `alg`, fetched once per process (OpenSSL 3 fetches by name on every implicit use);
// null for EdDSA, which hashes internally, and when the fetch failed.
const EVP_MD* digest_of(Algorithm alg) {
  static const ossl::Md kSha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  static const ossl::Md kSha384(EVP_MD_fetch(nullptr, "SHA384", nullptr));
  static const ossl::Md kSha512(EVP_MD_fetch(nullptr, "SHA512", nullptr));
  switch (digest_size(alg)) {
    case 32:
      return kSha256.get();
    case 48:
      return kSha384.get();
    default:
      return kSha512.get();
  }
}

bool is_pss(Algorithm alg) {
  return alg == Algorithm::kPS256 || alg == Algorithm::kPS384 || alg == Algorithm::kPS512;
}

// Configures RSA padding on a verification context: PKCS#1 v1.5, or PSS with salt length equal to
// the digest length and MGF1 over the same digest (never OpenSSL's auto-detected salt).
bool set_rsa_padding(EVP_PKEY_CTX* pctx, Algorithm alg, const EVP_MD* md) {
  if (!is_pss(alg)) return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, static_cast<int>(digest_size(alg))) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
}

ossl::MdCtx build(Algorithm alg, EVP_PKEY* pkey) {
  const bool eddsa = key_family(alg) == KeyFamily::kOkp;
  const EVP_MD* md = eddsa ? nullptr : digest_of(alg);
  if (!eddsa && md == nullptr) return nullptr;
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return nullptr;
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, pkey) != 1) return nullptr;
  if (key_family(alg) == KeyFamily::kRsa && !set_rsa_padding(pctx, alg, md)) return nullptr;
  return ctx;
}

}  // namespace

VerifyTemplates::~VerifyTemplates() {
  for (auto& slot : slots_)
    EVP_MD_CTX_free(slot.load(std::memory_order_relaxed));
}

const EVP_MD_CTX* VerifyTemplates::get(Algorithm alg, EVP_PKEY* pkey) {
  auto& slot = slots_[static_cast<std::size_t>(alg)];
  if (const EVP_MD_CTX* ready = slot.load(std::memory_order_acquire)) return ready;
  std::lock_guard lock(build_mu_);
  if (const EVP_MD_CTX* ready = slot.load(std::memory_order_relaxed)) return ready;
  ossl::MdCtx built = build(alg, pkey);
  if (!built) {
    ossl::clear_errors();
    return nullptr;
  }
  EVP_MD_CTX* published = built.release();
  slot.store(published, std::memory_order_release);
  return published;
}

}  // namespace sg::jose::detail
