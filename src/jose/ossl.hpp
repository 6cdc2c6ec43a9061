// RAII owners for the OpenSSL 3 objects the JOSE layer uses, and helpers around them.
//
// Internal to src/jose (not for other layers). Each alias frees its object with the matching
// OpenSSL *_free. clear_errors() empties this thread's OpenSSL error queue so a failed verification
// never leaves state behind for an unrelated later call. Thread-safe as OpenSSL 3 is.
#pragma once

#include <memory>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace sg::jose::ossl {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct MdFree {
  void operator()(EVP_MD* p) const { EVP_MD_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};

using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Md = std::unique_ptr<EVP_MD, MdFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using Params = std::unique_ptr<OSSL_PARAM, ParamFree>;

// A shared, immutable key: EVP_PKEY is reference counted and safe to use from several threads for
// verification and signing once built.
using SharedPkey = std::shared_ptr<EVP_PKEY>;
inline SharedPkey share(Pkey p) {
  return SharedPkey(p.release(), PkeyFree{});
}

// Empties this thread's OpenSSL error queue.
void clear_errors();

}  // namespace sg::jose::ossl
