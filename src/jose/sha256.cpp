#include "jose/sha256.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>

namespace sg::jose {
namespace {

struct MdFree {
  void operator()(EVP_MD* p) const { EVP_MD_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

const EVP_MD* sha256_md() {
  static const std::unique_ptr<EVP_MD, MdFree> md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  return md.get();
}

// This thread's digest context, reused by every call on the thread (each call re-initialises it).
EVP_MD_CTX* thread_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

}  // namespace

Sha256Digest sha256(std::initializer_list<std::string_view> parts) {
  Sha256Digest out{};
  unsigned int len = 0;
  const EVP_MD* md = sha256_md();
  EVP_MD_CTX* ctx = thread_context();
  bool ok = md != nullptr && ctx != nullptr && EVP_DigestInit_ex(ctx, md, nullptr) == 1;
  for (std::string_view part : parts)
    ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 && len == out.size();
  if (!ok) throw std::runtime_error("SHA-256 failed");
  return out;
}

}  // namespace sg::jose
