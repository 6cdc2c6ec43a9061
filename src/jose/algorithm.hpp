// Algorithm names the JWS signature algorithms stackgate can verify and sign (RFC 7518 §3, RFC
// 8037).
//
// Names are compared case-sensitively; `none` and every unregistered name have no Algorithm value,
// so they can never be allowed. Each algorithm belongs to exactly one key family: RSA keys verify
// RS*/PS*, EC keys ES* (with the matching curve), OKP Ed25519 keys EdDSA, and only shared secrets
// verify HS*. Pure functions over constants; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace sg::jose {

enum class Algorithm {
  kRS256,
  kRS384,
  kRS512,
  kPS256,
  kPS384,
  kPS512,
  kES256,
  kES384,
  kES512,
  kEdDSA,
  kHS256,
  kHS384,
  kHS512,
};

enum class KeyFamily { kRsa, kEc, kOkp, kOct };

enum class Curve { kNone, kP256, kP384, kP521, kEd25519 };

// The registered name, e.g. "ES256".
std::string_view algorithm_name(Algorithm alg);

// The algorithm with exactly this name; nullopt for "none", "es256", "ES521" and anything else.
std::optional<Algorithm> algorithm_from_name(std::string_view name);

// Every algorithm, in declaration order.
const std::vector<Algorithm>& all_algorithms();

KeyFamily key_family(Algorithm alg);

// The curve an ES* or EdDSA algorithm requires; kNone for the others.
Curve required_curve(Algorithm alg);

// Output size in bytes of the hash the algorithm uses (32, 48 or 64; 64 for EdDSA's SHA-512).
std::size_t digest_size(Algorithm alg);

// OpenSSL digest name ("SHA256", ...); empty for EdDSA, which hashes internally.
std::string_view digest_name(Algorithm alg);

// The JWK "crv" name ("P-256", "Ed25519") and its inverse.
std::string_view curve_name(Curve curve);
std::optional<Curve> curve_from_name(std::string_view name);

// Size in bytes of one coordinate (EC) or of the public key (Ed25519).
std::size_t curve_field_size(Curve curve);

// The JWK "kty" value of a family.
std::string_view key_family_name(KeyFamily family);

}  // namespace sg::jose
