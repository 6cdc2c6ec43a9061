// SigningKeyRecord is one of the gateway's own signing keys as the store keeps it.
//
// `purpose` says what the key signs ("audit" for audit checkpoints, "tokens" for issued tokens), so
// each purpose rotates its keys on its own (keys/key_ring.hpp). `private_pem` holds the private key
// either as PKCS#8 PEM in plain text (no key-encryption key configured, or a row written before
// one was) or sealed with the key-encryption key as a compact JWE (keys/key_encryption_key.hpp);
// either way it is secret and must never be logged. `public_jwk` lets the public half be listed and
// verified without the key-encryption key. Plain value type; not synchronised.
#pragma once

#include <string>

namespace sg::store {

struct SigningKeyRecord {
  std::string kid;          // unique across every purpose
  std::string purpose;      // e.g. "audit"
  std::string algorithm;    // JWS name, e.g. "ES256"
  std::string private_pem;  // PKCS#8 PEM or a sealed JWE; secret
  std::string created_at;   // RFC 3339 UTC with milliseconds
  std::string public_jwk;   // the public JWK as JSON text; empty in rows written before migration 3

  friend bool operator==(const SigningKeyRecord&, const SigningKeyRecord&) = default;
};

}  // namespace sg::store
