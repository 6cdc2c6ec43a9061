#include "jose/hmac.hpp"

#include <memory>
#include <string>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "jose/ossl.hpp"

namespace sg::jose::detail {
namespace {

struct MacFree {
  void operator()(EVP_MAC* m) const { EVP_MAC_free(m); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

}  // namespace

Result<Bytes> hmac(Algorithm alg, const Bytes& secret, std::string_view data) {
  std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
  std::string md(digest_name(alg));
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, md.data(), 0),
      OSSL_PARAM_construct_end(),
  };
  Bytes tag(digest_size(alg));
  std::size_t len = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), secret.data(), secret.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
          1 ||
      EVP_MAC_final(ctx.get(), tag.data(), &len, tag.size()) != 1 || len != tag.size()) {
    ossl::clear_errors();
    return make_error(Errc::kInternal, "HMAC computation failed");
  }
  return tag;
}

}  // namespace sg::jose::detail
