#include "jose/signature.hpp"

#include <array>
#include <string>
#include <utility>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "jose/ecdsa_encoding.hpp"
#include "jose/hmac.hpp"
#include "jose/ossl.hpp"
#include "jose/verify_templates.hpp"

namespace sg::jose {
namespace {

Error bad_signature(std::string what) {
  return make_error(Errc::kBadSignature, std::move(what));
}

Error internal(std::string what) {
  ossl::clear_errors();
  return make_error(Errc::kInternal, std::move(what));
}

const auto* data_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The digest of `input` for `alg` into `out` (at least 64 bytes); its length, or 0 when OpenSSL
// fails. Each thread reuses one digest context.
unsigned int digest(Algorithm alg, std::string_view input, unsigned char* out) {
  thread_local const ossl::MdCtx ctx(EVP_MD_CTX_new());
  const EVP_MD* md = detail::VerifyTemplates::digest_of(alg);
  unsigned int size = 0;
  if (!ctx || md == nullptr || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), input.data(), input.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &size) != 1) {
    return 0;
  }
  return size;
}

// RS*, PS*, ES*: hashes the signing input, then verifies the digest with a verification context
// leased from the key's pool (see verify_templates.hpp).
Status verify_digest(Algorithm alg, const Jwk& key, std::string_view input, const Bytes& sig) {
  detail::VerifyTemplates* templates = key.verify_templates();
  if (templates == nullptr) return internal("key has no public key");
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  const unsigned int md_size = digest(alg, input, md.data());
  if (md_size != digest_size(alg)) return internal("cannot hash the signing input");
  ossl::PkeyCtx ctx = templates->lease(alg, key.pkey());
  if (!ctx) return internal("cannot initialise signature verification");
  if (EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), md.data(), md_size) != 1) {
    ossl::clear_errors();
    return bad_signature("signature does not verify");
  }
  if (ERR_peek_error() != 0) ossl::clear_errors();  // nothing is queued after a success, normally
  templates->give_back(alg, std::move(ctx));
  return {};
}

// EdDSA: with a private copy of the key's read-only template context.
Status verify_eddsa(const Jwk& key, std::string_view input, const Bytes& sig) {
  detail::VerifyTemplates* templates = key.verify_templates();
  if (templates == nullptr) return internal("key has no public key");
  const EVP_MD_CTX* tmpl = templates->eddsa_template(key.pkey());
  if (tmpl == nullptr) return internal("cannot initialise signature verification");
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return internal("out of memory");
  if (EVP_MD_CTX_copy_ex(ctx.get(), tmpl) != 1) {
    return internal("cannot initialise signature verification");
  }
  // The copy verifies once and is freed: FINALISE lets OpenSSL 3 finish in it directly, where it
  // would otherwise duplicate the whole signature context first to keep this one reusable.
  EVP_MD_CTX_set_flags(ctx.get(), EVP_MD_CTX_FLAG_FINALISE);
  const int rc = EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), data_of(input), input.size());
  ossl::clear_errors();
  if (rc != 1) return bad_signature("signature does not verify");
  return {};
}

}  // namespace

Status verify_signature(Algorithm alg, const Jwk& key, std::string_view signing_input,
                        const Bytes& signature) {
  if (auto usable = key.check_usable_for(alg); !usable.ok()) return usable;
  const std::string name(algorithm_name(alg));
  switch (key_family(alg)) {
    case KeyFamily::kOct: {
      if (signature.size() != digest_size(alg)) {
        return bad_signature(name + " tag must be exactly " + std::to_string(digest_size(alg)) +
                             " bytes");
      }
      auto tag = detail::hmac(alg, key.secret(), signing_input);
      if (!tag.ok()) return tag.error();
      if (CRYPTO_memcmp(tag->data(), signature.data(), signature.size()) != 0) {
        return bad_signature("signature does not verify");
      }
      return {};
    }
    case KeyFamily::kRsa: {
      const auto size = static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey()));
      if (signature.size() != size) {
        return bad_signature(name + " signature length differs from the modulus length");
      }
      return verify_digest(alg, key, signing_input, signature);
    }
    case KeyFamily::kEc: {
      auto der = detail::ecdsa_raw_to_der(signature, required_curve(alg));
      if (!der.ok()) return der.error();
      return verify_digest(alg, key, signing_input, *der);
    }
    case KeyFamily::kOkp: {
      if (signature.size() != 64) return bad_signature("EdDSA signature must be exactly 64 bytes");
      return verify_eddsa(key, signing_input, signature);
    }
  }
  return internal("unknown key family");
}

}  // namespace sg::jose
