#include "jose/key_import.hpp"

#include <string>

#include <openssl/core_names.h>

#include "jose/jwk.hpp"

namespace sg::jose::detail {
namespace {

Error invalid(std::string what) {
  return make_error(Errc::kInvalidArgument, std::move(what));
}

Bytes strip_leading_zeros(const Bytes& b) {
  std::size_t i = 0;
  while (i < b.size() && b[i] == 0)
    ++i;
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(i), b.end());
}

// Builds a public EVP_PKEY of `type` from `params`.
Result<ossl::Pkey> from_params(const char* type, const OSSL_PARAM* params) {
  ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) !=
          1) {
    ossl::clear_errors();
    return invalid(std::string(type) + " public key was refused by OpenSSL");
  }
  return ossl::Pkey(raw);
}

}  // namespace

Result<ImportedKey> import_rsa_public(const Bytes& n_in, const Bytes& e_in) {
  const Bytes n = strip_leading_zeros(n_in);
  const Bytes e = strip_leading_zeros(e_in);
  ossl::Bn bn_n(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr));
  ossl::Bn bn_e(BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr));
  if (!bn_n || !bn_e) return make_error(Errc::kInternal, "out of memory");
  const auto bits = static_cast<std::size_t>(BN_num_bits(bn_n.get()));
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return invalid("RSA modulus is " + std::to_string(bits) + " bits; accepted are " +
                   std::to_string(kMinRsaBits) + " to " + std::to_string(kMaxRsaBits));
  }
  if (!BN_is_odd(bn_n.get())) return invalid("RSA modulus is even");
  if (e.size() > 4 || !BN_is_odd(bn_e.get()) || BN_num_bits(bn_e.get()) < 2) {
    return invalid("RSA exponent must be odd and between 3 and 2^32");
  }
  if (has_roca_fingerprint(n))
    return invalid("RSA modulus has the ROCA (CVE-2017-15361) fingerprint");

  ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return make_error(Errc::kInternal, "cannot build RSA parameters");
  }
  ossl::Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return make_error(Errc::kInternal, "cannot build RSA parameters");
  auto pkey = from_params("RSA", params.get());
  if (!pkey.ok()) return pkey.error();
  return ImportedKey{std::move(pkey).value(), bits};
}

Result<ImportedKey> import_ec_public(Curve curve, const Bytes& x, const Bytes& y) {
  const std::size_t size = curve_field_size(curve);
  if (curve == Curve::kEd25519 || size == 0) return invalid("not an EC curve");
  if (x.size() != size || y.size() != size) {
    return invalid("EC coordinates must be exactly " + std::to_string(size) + " bytes for " +
                   std::string(curve_name(curve)));
  }
  Bytes point;
  point.reserve(1 + 2 * size);
  point.push_back(0x04);  // uncompressed SEC1 encoding
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());

  const std::string group(curve_name(curve));
  ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return make_error(Errc::kInternal, "cannot build EC parameters");
  }
  ossl::Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return make_error(Errc::kInternal, "cannot build EC parameters");
  auto pkey = from_params("EC", params.get());
  if (!pkey.ok()) return invalid("EC point is not on " + group);
  ossl::PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey->get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ossl::clear_errors();
    return invalid("EC point is not a valid public key on " + group);
  }
  return ImportedKey{std::move(pkey).value(), size == 66 ? 521 : size * 8};
}

Result<ImportedKey> import_ed25519_public(const Bytes& x) {
  if (x.size() != 32) return invalid("Ed25519 public key must be exactly 32 bytes");
  ossl::Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, x.data(), x.size()));
  if (!pkey) {
    ossl::clear_errors();
    return invalid("Ed25519 public key was refused by OpenSSL");
  }
  return ImportedKey{std::move(pkey), 256};
}

}  // namespace sg::jose::detail
