// SigningKeyRecord is one of the gateway's own private signing keys as the store keeps it.
//
// `purpose` says what the key signs ("audit" for audit checkpoints; the tokens issue adds its own
// purpose to the same table), so each purpose rotates its keys on its own. The private key is kept
// as PKCS#8 PEM in plain text for now: encryption at rest arrives with the tokens issue's
// key-encryption key. Until then the database file's mode (0600) is its only protection, and the
// value must never be logged. Plain value type; not synchronised.
#pragma once

#include <string>

namespace sg::store {

struct SigningKeyRecord {
  std::string kid;          // unique across every purpose
  std::string purpose;      // e.g. "audit"
  std::string algorithm;    // JWS name, e.g. "ES256"
  std::string private_pem;  // PKCS#8 PEM; secret
  std::string created_at;   // RFC 3339 UTC with milliseconds

  friend bool operator==(const SigningKeyRecord&, const SigningKeyRecord&) = default;
};

}  // namespace sg::store
