#include "jose/verify_templates.hpp"

#include <utility>

#include <openssl/evp.h>
#include <openssl/rsa.h>

namespace sg::jose::detail {
namespace {

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

// A context for EVP_PKEY_verify of a digest of `alg` with `pkey`. The signature digest is set for
// every family: for RSA it is the DigestInfo the padding must carry, for ECDSA it fixes the digest
// length the context accepts.
ossl::PkeyCtx build_pkey_ctx(Algorithm alg, EVP_PKEY* pkey) {
  const EVP_MD* md = VerifyTemplates::digest_of(alg);
  if (md == nullptr) return nullptr;
  ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) return nullptr;
  if (key_family(alg) == KeyFamily::kRsa && !set_rsa_padding(ctx.get(), alg, md)) return nullptr;
  if (EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) return nullptr;
  return ctx;
}

ossl::MdCtx build_eddsa_template(EVP_PKEY* pkey) {
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return nullptr;
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1) return nullptr;
  return ctx;
}

}  // namespace

const EVP_MD* VerifyTemplates::digest_of(Algorithm alg) {
  static const ossl::Md kSha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  static const ossl::Md kSha384(EVP_MD_fetch(nullptr, "SHA384", nullptr));
  static const ossl::Md kSha512(EVP_MD_fetch(nullptr, "SHA512", nullptr));
  if (key_family(alg) == KeyFamily::kOkp) return nullptr;
  switch (digest_size(alg)) {
    case 32:
      return kSha256.get();
    case 48:
      return kSha384.get();
    default:
      return kSha512.get();
  }
}

VerifyTemplates::~VerifyTemplates() {
  for (auto& idle : idle_) {
    for (EVP_PKEY_CTX* ctx : idle)
      EVP_PKEY_CTX_free(ctx);
  }
  EVP_MD_CTX_free(eddsa_.load(std::memory_order_relaxed));
}

ossl::PkeyCtx VerifyTemplates::lease(Algorithm alg, EVP_PKEY* pkey) {
  {
    std::lock_guard lock(mu_);
    auto& idle = idle_[static_cast<std::size_t>(alg)];
    if (!idle.empty()) {
      ossl::PkeyCtx ctx(idle.back());
      idle.pop_back();
      return ctx;
    }
  }
  ossl::PkeyCtx built = build_pkey_ctx(alg, pkey);
  if (!built) ossl::clear_errors();
  return built;
}

void VerifyTemplates::give_back(Algorithm alg, ossl::PkeyCtx ctx) {
  if (!ctx) return;
  std::lock_guard lock(mu_);
  auto& idle = idle_[static_cast<std::size_t>(alg)];
  if (idle.size() >= kMaxIdle) return;  // ctx frees itself
  if (idle.capacity() == 0) idle.reserve(kMaxIdle);
  idle.push_back(ctx.release());
}

const EVP_MD_CTX* VerifyTemplates::eddsa_template(EVP_PKEY* pkey) {
  if (const EVP_MD_CTX* ready = eddsa_.load(std::memory_order_acquire)) return ready;
  std::lock_guard lock(mu_);
  if (const EVP_MD_CTX* ready = eddsa_.load(std::memory_order_relaxed)) return ready;
  ossl::MdCtx built = build_eddsa_template(pkey);
  if (!built) {
    ossl::clear_errors();
    return nullptr;
  }
  EVP_MD_CTX* published = built.release();
  eddsa_.store(published, std::memory_order_release);
  return published;
}

}  // namespace sg::jose::detail
