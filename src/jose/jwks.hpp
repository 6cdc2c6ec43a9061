// KeySet is the trusted verification material of one issuer: the keys of its JWKS, or shared
// secrets from configuration. parse_jwks / parse_shared_secret_jwks build one from JSON text.
//
// A set is refused as a whole when it is ambiguous or leaks secrets: duplicate `kid`s, any private
// member (d, p, q, dp, dq, qi, oth — and k in a public set), a shared-secret set mixing in other
// key types, more than `max_keys` keys, or more than `max_bytes` of JSON. A single key that is
// unusable or of an unsupported type (X25519, a 1024-bit RSA key, `use: enc`, an unknown `alg`,
// ...) is skipped and reported in `skipped`, so one odd key does not take the issuer down.
//
// Key selection (select): a token with a `kid` gets exactly the key with that `kid` (keys without a
// kid never match it); a token without a `kid` gets the single key usable for its algorithm, and is
// refused when there are none or several. A KeySet is an immutable value once built; concurrent
// const use is thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwk.hpp"

namespace sg::jose {

struct JwksLimits {
  std::size_t max_bytes = 256 * 1024;
  std::size_t max_keys = 100;
};

class KeySet {
 public:
  // Adds a key. Errors: kInvalidArgument when a key with the same kid is already present.
  Status add(Jwk key);

  const std::vector<Jwk>& keys() const { return keys_; }
  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

  // The key whose kid equals `kid` byte for byte, or nullptr.
  const Jwk* find(std::string_view kid) const;

  // The key that verifies a token with this `kid` (if any) and `alg`, by the rule above.
  // Errors: kUnknownKey (no such kid; no or several candidates without kid), kDisallowedAlgorithm
  // (the kid's key cannot verify `alg`).
  Result<const Jwk*> select(const std::optional<std::string>& kid, Algorithm alg) const;

 private:
  std::vector<Jwk> keys_;
};

struct SkippedKey {
  std::size_t index = 0;           // position in the "keys" array
  std::optional<std::string> kid;  // when the entry had a string kid
  std::string reason;
};

struct ParsedJwks {
  KeySet keys;
  std::vector<SkippedKey> skipped;
};

// Parses a public JWKS ({"keys":[...]}) of RSA, EC and OKP keys. Errors: kInvalidArgument.
Result<ParsedJwks> parse_jwks(std::string_view json, const JwksLimits& limits = {});

// Parses a JWKS of shared secrets (kty "oct" only). Only for secrets the operator configured
// explicitly, never for a document fetched from an issuer. Errors: kInvalidArgument.
Result<ParsedJwks> parse_shared_secret_jwks(std::string_view json, const JwksLimits& limits = {});

}  // namespace sg::jose
