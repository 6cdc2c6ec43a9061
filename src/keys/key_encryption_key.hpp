// KeyEncryptionKey (KEK) seals the gateway's private signing keys at rest in the store.
//
// The operator configures it as a secret (`tokens.key_encryption_key`): 32 random bytes written as
// base64 (standard or URL-safe alphabet, padding optional) or as 64 hex digits. seal() makes a
// compact JWE (`dir`, `A256GCM`, jose/jwe_dir.hpp) whose protected header names the KEK (`kid`, see
// id()) and the row it belongs to (`sg_key`: "<purpose>/<kid>/<alg>"), both authenticated, so a
// sealed value copied into another row fails to open. Errors never contain the secret, key bytes or
// plaintext. Copyable value; copies share the immutable key bytes, which are wiped when the last
// copy goes; thread-safe.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sg::keys {

class KeyEncryptionKey {
 public:
  // Reads the configured secret. Errors: kInvalidConfig saying how to make a valid one, never
  // repeating the value.
  static Result<KeyEncryptionKey> from_secret(std::string_view text);

  // "kek-" + the first 16 hex digits of SHA-256(key bytes): names this KEK, safe to print.
  const std::string& id() const { return id_; }

  // Encrypts `plaintext` for the row named by `binding`. Errors: kInvalidArgument (too large),
  // kInternal.
  Result<std::string> seal(std::string_view plaintext, std::string_view binding) const;

  // Decrypts a value made by seal() with this KEK for `binding`. Errors: kInvalidConfig (another
  // KEK sealed it; the message names both ids), kInternal (not a sealed value, altered, or sealed
  // for another row).
  Result<std::string> open(std::string_view sealed, std::string_view binding) const;

 private:
  struct Bytes;
  explicit KeyEncryptionKey(std::shared_ptr<const Bytes> bytes);

  std::shared_ptr<const Bytes> bytes_;
  std::string id_;
};

// Whether a stored private key value is sealed (a compact JWE) rather than PEM text.
bool is_sealed(std::string_view stored);

}  // namespace sg::keys
