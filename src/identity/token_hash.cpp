#include "identity/token_hash.hpp"

#include <cstring>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>

namespace sg::identity {

namespace {

struct MdFree {
  void operator()(EVP_MD* p) const { EVP_MD_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

// SHA-256, fetched once per process (OpenSSL 3 fetches by name on every implicit EVP_sha256() use).
const EVP_MD* sha256() {
  static const std::unique_ptr<EVP_MD, MdFree> md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  return md.get();
}

// This thread's digest context, reused by every call on the thread (each call re-initialises it).
EVP_MD_CTX* thread_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

}  // namespace

TokenHash token_hash(std::string_view token) {
  TokenHash out{};
  unsigned int len = 0;
  const EVP_MD* md = sha256();
  EVP_MD_CTX* ctx = thread_context();
  if (md == nullptr || ctx == nullptr || EVP_DigestInit_ex(ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx, token.data(), token.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != out.size()) {
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
