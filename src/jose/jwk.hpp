// Jwk is one verification key taken from trusted material (an issuer's JWKS or configuration), with
// the checks of jose-rules.md "Verifying" step 5 and "JWKS and discovery" already applied.
//
// A public key is RSA (modulus 2048..8192 bits, odd exponent 3..2^32, no ROCA fingerprint), EC
// (P-256/P-384/P-521, full-length x and y, point on the curve) or OKP Ed25519 (32-byte x). A shared
// secret (kty "oct") exists only through the separate shared-secret constructors, never from a
// public JWK, so an RSA or EC key can never become an HMAC secret. `use` must be absent or "sig",
// `key_ops` absent or containing "verify", and a JWK `alg` must be a registered JWS algorithm of
// the key's family and curve; check_usable_for() then binds the key to exactly that algorithm.
//
// Key material is never put in error messages. Jwk is an immutable value; copies share the
// underlying OpenSSL key / secret and the key's cache of initialised verification contexts (see
// verify_templates.hpp; filled lazily, thread-safe). Thread-safe for concurrent const use.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <openssl/types.h>
#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/bytes.hpp"

namespace sg::jose {

namespace detail {
class SecretBytes;
class VerifyTemplates;
}  // namespace detail

class Jwk {
 public:
  // Parses one public JWK. Refuses kty "oct" and any private member (d, p, q, dp, dq, qi, oth, k).
  // Errors: kInvalidArgument naming the failed check.
  static Result<Jwk> parse_public(const boost::json::object& jwk);

  // Parses one shared-secret JWK (kty "oct", member k). The secret must be at least as long as the
  // hash of its `alg` (32 bytes when `alg` is absent). Errors: kInvalidArgument.
  static Result<Jwk> parse_shared_secret(const boost::json::object& jwk);

  // A shared secret from configuration, bound to `alg` when given. Errors: kInvalidArgument.
  static Result<Jwk> shared_secret(Bytes secret, std::optional<Algorithm> alg,
                                   std::optional<std::string> kid);

  const std::optional<std::string>& kid() const { return kid_; }
  KeyFamily family() const { return family_; }
  Curve curve() const { return curve_; }
  // The JWK's own `alg`, when it names one.
  std::optional<Algorithm> algorithm() const { return alg_; }
  // Modulus bits (RSA), curve bits (EC, OKP) or secret bits (oct).
  std::size_t bits() const { return bits_; }

  // Whether this key may verify a token signed with `alg`: kty implied by alg, curve matching,
  // JWK alg absent or equal, secret long enough. Errors: kDisallowedAlgorithm.
  Status check_usable_for(Algorithm alg) const;

  // The OpenSSL public key (null for shared secrets). For the signature primitives.
  EVP_PKEY* pkey() const { return pkey_.get(); }
  // The shared secret (empty for public keys). For the signature primitives.
  const Bytes& secret() const;
  // The cache of initialised verification contexts for pkey() (null for shared secrets). For the
  // signature primitives; thread-safe.
  detail::VerifyTemplates* verify_templates() const { return templates_.get(); }

 private:
  Jwk() = default;

  std::optional<std::string> kid_;
  KeyFamily family_ = KeyFamily::kRsa;
  Curve curve_ = Curve::kNone;
  std::optional<Algorithm> alg_;
  std::size_t bits_ = 0;
  std::shared_ptr<EVP_PKEY> pkey_;
  std::shared_ptr<const detail::SecretBytes> secret_;
  std::shared_ptr<detail::VerifyTemplates> templates_;
};

// Limits on RSA moduli accepted anywhere in the JOSE layer.
inline constexpr std::size_t kMinRsaBits = 2048;
inline constexpr std::size_t kMaxRsaBits = 8192;

}  // namespace sg::jose
