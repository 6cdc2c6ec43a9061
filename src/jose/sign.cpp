#include "jose/sign.hpp"

#include <array>

#include <openssl/rsa.h>
#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "jose/ecdsa_encoding.hpp"
#include "jose/hmac.hpp"
#include "jose/json_reader.hpp"
#include "jose/jws.hpp"
#include "jose/ossl.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;

Error invalid(std::string what) {
  return make_error(Errc::kInvalidArgument, std::move(what));
}
Error internal(std::string what) {
  ossl::clear_errors();
  return make_error(Errc::kInternal, std::move(what));
}

constexpr std::array<std::string_view, 8> kRefused = {"crit", "b64", "zip", "enc",
                                                      "jwk",  "jku", "x5u", "x5c"};

Result<Bytes> sign_with_pkey(Algorithm alg, EVP_PKEY* pkey, std::string_view input) {
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const std::string md(digest_name(alg));
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), &pctx, md.empty() ? nullptr : md.c_str(), nullptr,
                                    nullptr, pkey, nullptr) != 1) {
    return internal("cannot initialise signing");
  }
  if (key_family(alg) == KeyFamily::kRsa) {
    const bool pss =
        alg == Algorithm::kPS256 || alg == Algorithm::kPS384 || alg == Algorithm::kPS512;
    const bool ok =
        pss ? EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, static_cast<int>(digest_size(alg))) == 1 &&
                  EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, md.c_str(), nullptr) == 1
            : EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    if (!ok) return internal("cannot configure RSA padding");
  }
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, data, input.size()) != 1) {
    return internal("cannot size the signature");
  }
  Bytes sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data, input.size()) != 1) {
    return internal("signing failed");
  }
  sig.resize(len);
  if (key_family(alg) == KeyFamily::kEc) return detail::ecdsa_der_to_raw(sig, required_curve(alg));
  return sig;
}

}  // namespace

Result<Bytes> sign_bytes(const SigningKey& key, std::string_view signing_input) {
  if (key_family(key.algorithm()) == KeyFamily::kOct) {
    return detail::hmac(key.algorithm(), key.secret(), signing_input);
  }
  if (key.pkey() == nullptr) return internal("signing key has no private key");
  return sign_with_pkey(key.algorithm(), key.pkey(), signing_input);
}

Result<std::string> sign_jws(const bj::object& header_fields, std::string_view claims_json,
                             const SigningKey& key) {
  const std::string alg(algorithm_name(key.algorithm()));
  bj::object header;
  header["alg"] = alg;
  if (!key.kid().empty()) header["kid"] = key.kid();
  for (const auto& [name, value] : header_fields) {
    for (const std::string_view refused : kRefused) {
      if (name == refused) return invalid("header field " + std::string(refused) + " is refused");
    }
    if (name == "alg" || name == "kid") {
      const bj::value* mine = header.if_contains(name);
      if (mine == nullptr || *mine != value) {
        return invalid("header field " + std::string(name) + " differs from the signing key's");
      }
      continue;
    }
    header[name] = value;
  }
  auto claims = parse_strict_object(claims_json, JsonLimits{}, "claims", Errc::kInvalidArgument);
  if (!claims.ok()) return claims.error();

  std::string token = base64url_encode(bj::serialize(header));
  token += '.';
  token += base64url_encode(claims_json);
  auto sig = sign_bytes(key, token);
  if (!sig.ok()) return sig.error();
  token += '.';
  token += base64url_encode(*sig);
  if (token.size() > kMaxTokenBytes) {
    return invalid("signed token would exceed " + std::to_string(kMaxTokenBytes) + " bytes");
  }
  return token;
}

}  // namespace sg::jose
