// SigningKey is a private key (or HMAC secret) the gateway signs tokens with, bound to one
// algorithm and one kid.
//
// Keys are generated with OpenSSL's DRBG (RAND_bytes for secrets): ES256/384/512 on P-256/384/521,
// EdDSA on Ed25519, RS*/PS* with 2048..8192-bit moduli, HS* secrets of the hash length. A key is
// stored by a later layer as PKCS#8 PEM or DER (export_pem/export_der, import_pem/import_der) and
// published through public_jwk(), which carries kid, alg and use "sig" and never a private member.
// Imports check that the key matches the algorithm and that it signs and verifies. Exported private
// material is the caller's to protect. Immutable value; copies share the key; thread-safe for
// concurrent const use.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>
#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/bytes.hpp"
#include "jose/jwk.hpp"

namespace sg::jose {

namespace detail {
class SecretBytes;
}

class SigningKey {
 public:
  // A fresh key for `alg`. `rsa_bits` applies to RS*/PS* only. Errors: kInvalidArgument, kInternal.
  static Result<SigningKey> generate(Algorithm alg, std::string kid, std::size_t rsa_bits = 2048);

  // A PKCS#8 (or traditional) private key for `alg`. Errors: kInvalidArgument.
  static Result<SigningKey> import_pem(std::string_view pem, Algorithm alg, std::string kid);
  static Result<SigningKey> import_der(const Bytes& der, Algorithm alg, std::string kid);

  // An HMAC secret for an HS* `alg`, at least the hash length. Errors: kInvalidArgument.
  static Result<SigningKey> from_shared_secret(Bytes secret, Algorithm alg, std::string kid);

  Algorithm algorithm() const { return alg_; }
  const std::string& kid() const { return kid_; }

  // PKCS#8 PrivateKeyInfo. Errors: kInvalidArgument for HS* keys (no PKCS#8 form), kInternal.
  Result<std::string> export_pem() const;
  Result<Bytes> export_der() const;

  // The public JWK {kty, kid, use: "sig", alg, ...}. Errors: kInvalidArgument for HS* keys.
  Result<boost::json::object> public_jwk() const;

  // The key that verifies this key's signatures (a shared-secret Jwk for HS*).
  Result<Jwk> verification_key() const;

  EVP_PKEY* pkey() const { return pkey_.get(); }  // null for HS*
  const Bytes& secret() const;                    // empty unless HS*

 private:
  SigningKey() = default;
  static Result<SigningKey> adopt(std::shared_ptr<EVP_PKEY> pkey, Algorithm alg, std::string kid);

  Algorithm alg_ = Algorithm::kES256;
  std::string kid_;
  std::shared_ptr<EVP_PKEY> pkey_;
  std::shared_ptr<const detail::SecretBytes> secret_;
};

}  // namespace sg::jose
