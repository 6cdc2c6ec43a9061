#include "jose/signing_key.hpp"

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/rand.h>

#include "jose/base64url.hpp"
#include "jose/ossl.hpp"
#include "jose/secret_bytes.hpp"
#include "jose/sign.hpp"
#include "jose/signature.hpp"

namespace sg::jose {
namespace {

Error invalid(std::string what) {
  return make_error(Errc::kInvalidArgument, std::move(what));
}
Error internal(std::string what) {
  ossl::clear_errors();
  return make_error(Errc::kInternal, std::move(what));
}

// Whether `pkey` is the kind of key `alg` needs.
Status check_key_type(EVP_PKEY* pkey, Algorithm alg) {
  const std::string name(algorithm_name(alg));
  switch (key_family(alg)) {
    case KeyFamily::kRsa: {
      const auto bits = static_cast<std::size_t>(EVP_PKEY_get_bits(pkey));
      if (!EVP_PKEY_is_a(pkey, "RSA") || bits < kMinRsaBits || bits > kMaxRsaBits) {
        return invalid(name + " needs an RSA key of 2048 to 8192 bits");
      }
      return {};
    }
    case KeyFamily::kEc: {
      // OpenSSL reports the curves by their SEC/X9.62 names.
      const Curve curve = required_curve(alg);
      const std::string_view want = curve == Curve::kP256   ? "prime256v1"
                                    : curve == Curve::kP384 ? "secp384r1"
                                                            : "secp521r1";
      char group[64] = {};
      std::size_t len = 0;
      const bool ok = EVP_PKEY_is_a(pkey, "EC") &&
                      EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                                     sizeof group, &len) == 1 &&
                      std::string_view(group, len) == want;
      ossl::clear_errors();
      if (!ok) return invalid(name + " needs an EC key on " + std::string(curve_name(curve)));
      return {};
    }
    case KeyFamily::kOkp:
      if (!EVP_PKEY_is_a(pkey, "ED25519")) return invalid("EdDSA needs an Ed25519 key");
      return {};
    case KeyFamily::kOct:
      break;
  }
  return invalid(name + " needs a shared secret, not a private key");
}

Result<std::string> encode_private(EVP_PKEY* pkey, const char* format) {
  OSSL_ENCODER_CTX* ctx =
      OSSL_ENCODER_CTX_new_for_pkey(pkey, EVP_PKEY_KEYPAIR, format, "PrivateKeyInfo", nullptr);
  unsigned char* data = nullptr;
  std::size_t len = 0;
  const bool ok = ctx != nullptr && OSSL_ENCODER_to_data(ctx, &data, &len) == 1;
  OSSL_ENCODER_CTX_free(ctx);
  if (!ok) return internal("cannot encode the private key");
  std::string out(reinterpret_cast<const char*>(data), len);
  OPENSSL_clear_free(data, len);
  return out;
}

Result<ossl::Pkey> decode_private(const unsigned char* data, std::size_t len, const char* format) {
  EVP_PKEY* raw = nullptr;
  OSSL_DECODER_CTX* ctx = OSSL_DECODER_CTX_new_for_pkey(&raw, format, nullptr, nullptr,
                                                        EVP_PKEY_KEYPAIR, nullptr, nullptr);
  const bool ok = ctx != nullptr && OSSL_DECODER_from_data(ctx, &data, &len) == 1 && raw;
  OSSL_DECODER_CTX_free(ctx);
  ossl::Pkey pkey(raw);
  if (!ok) {
    ossl::clear_errors();
    return invalid(std::string("input is not a ") + format + " private key");
  }
  return pkey;
}

Bytes bn_bytes(EVP_PKEY* pkey, const char* param) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, param, &raw) != 1) return {};
  ossl::Bn bn(raw);
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), out.data());
  return out;
}

}  // namespace

Result<SigningKey> SigningKey::adopt(std::shared_ptr<EVP_PKEY> pkey, Algorithm alg,
                                     std::string kid) {
  if (auto s = check_key_type(pkey.get(), alg); !s.ok()) return s.error();
  SigningKey key;
  key.alg_ = alg;
  key.kid_ = std::move(kid);
  key.pkey_ = std::move(pkey);
  // Pairwise check: the key must hold its private half and verify its own signature.
  auto verifier = key.verification_key();
  if (!verifier.ok()) return verifier.error();
  static constexpr std::string_view kProbe = "stackgate signing key check";
  auto sig = sign_bytes(key, kProbe);
  if (!sig.ok()) return invalid("key cannot sign (no private key?)");
  if (!verify_signature(alg, *verifier, kProbe, *sig).ok()) {
    return invalid("key's signature does not verify with its public key");
  }
  return key;
}

Result<SigningKey> SigningKey::generate(Algorithm alg, std::string kid, std::size_t rsa_bits) {
  EVP_PKEY* raw = nullptr;
  switch (key_family(alg)) {
    case KeyFamily::kOct: {
      Bytes secret(digest_size(alg));
      if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
        return internal("RAND_bytes failed");
      }
      return from_shared_secret(std::move(secret), alg, std::move(kid));
    }
    case KeyFamily::kRsa:
      if (rsa_bits < kMinRsaBits || rsa_bits > kMaxRsaBits) {
        return invalid("RSA keys must have 2048 to 8192 bits");
      }
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", rsa_bits);
      break;
    case KeyFamily::kEc: {
      const std::string curve(curve_name(required_curve(alg)));
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.c_str());
      break;
    }
    case KeyFamily::kOkp:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (raw == nullptr) return internal("key generation failed");
  return adopt(ossl::share(ossl::Pkey(raw)), alg, std::move(kid));
}

Result<SigningKey> SigningKey::import_pem(std::string_view pem, Algorithm alg, std::string kid) {
  auto pkey = decode_private(reinterpret_cast<const unsigned char*>(pem.data()), pem.size(), "PEM");
  if (!pkey.ok()) return pkey.error();
  return adopt(ossl::share(std::move(pkey).value()), alg, std::move(kid));
}

Result<SigningKey> SigningKey::import_der(const Bytes& der, Algorithm alg, std::string kid) {
  auto pkey = decode_private(der.data(), der.size(), "DER");
  if (!pkey.ok()) return pkey.error();
  return adopt(ossl::share(std::move(pkey).value()), alg, std::move(kid));
}

Result<SigningKey> SigningKey::from_shared_secret(Bytes secret, Algorithm alg, std::string kid) {
  if (key_family(alg) != KeyFamily::kOct) {
    return invalid(std::string(algorithm_name(alg)) + " does not use a shared secret");
  }
  auto holder = std::make_shared<const detail::SecretBytes>(std::move(secret));
  if (holder->bytes().size() < digest_size(alg)) {
    return invalid("shared secret is shorter than " + std::to_string(digest_size(alg)) + " bytes");
  }
  SigningKey key;
  key.alg_ = alg;
  key.kid_ = std::move(kid);
  key.secret_ = std::move(holder);
  return key;
}

const Bytes& SigningKey::secret() const {
  static const Bytes kEmpty;
  return secret_ ? secret_->bytes() : kEmpty;
}

Result<std::string> SigningKey::export_pem() const {
  if (!pkey_) return invalid("a shared secret has no PKCS#8 form");
  return encode_private(pkey_.get(), "PEM");
}

Result<Bytes> SigningKey::export_der() const {
  if (!pkey_) return invalid("a shared secret has no PKCS#8 form");
  auto der = encode_private(pkey_.get(), "DER");
  if (!der.ok()) return der.error();
  Bytes out = to_bytes(*der);
  OPENSSL_cleanse(der->data(), der->size());
  return out;
}

Result<boost::json::object> SigningKey::public_jwk() const {
  if (!pkey_) return invalid("a shared secret has no public JWK");
  boost::json::object jwk;
  jwk["kty"] = key_family_name(key_family(alg_));
  jwk["kid"] = kid_;
  jwk["use"] = "sig";
  jwk["alg"] = algorithm_name(alg_);
  switch (key_family(alg_)) {
    case KeyFamily::kRsa:
      jwk["n"] = base64url_encode(bn_bytes(pkey_.get(), OSSL_PKEY_PARAM_RSA_N));
      jwk["e"] = base64url_encode(bn_bytes(pkey_.get(), OSSL_PKEY_PARAM_RSA_E));
      break;
    case KeyFamily::kEc: {
      const Curve curve = required_curve(alg_);
      const std::size_t size = curve_field_size(curve);
      Bytes point(1 + 2 * size);
      std::size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(pkey_.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                          point.size(), &len) != 1 ||
          len != point.size() || point[0] != 0x04) {
        return internal("cannot read the EC public point");
      }
      jwk["crv"] = curve_name(curve);
      jwk["x"] = base64url_encode(Bytes(point.begin() + 1, point.begin() + 1 + size));
      jwk["y"] = base64url_encode(Bytes(point.begin() + 1 + size, point.end()));
      break;
    }
    case KeyFamily::kOkp: {
      Bytes x(32);
      std::size_t len = x.size();
      if (EVP_PKEY_get_raw_public_key(pkey_.get(), x.data(), &len) != 1 || len != 32) {
        return internal("cannot read the Ed25519 public key");
      }
      jwk["crv"] = "Ed25519";
      jwk["x"] = base64url_encode(x);
      break;
    }
    case KeyFamily::kOct:
      break;
  }
  return jwk;
}

Result<Jwk> SigningKey::verification_key() const {
  if (!pkey_) {
    return Jwk::shared_secret(secret(), alg_,
                              kid_.empty() ? std::nullopt : std::optional<std::string>(kid_));
  }
  auto jwk = public_jwk();
  if (!jwk.ok()) return jwk.error();
  if (kid_.empty()) jwk->erase("kid");
  return Jwk::parse_public(*jwk);
}

}  // namespace sg::jose
