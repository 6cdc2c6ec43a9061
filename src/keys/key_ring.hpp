// KeyRing holds the gateway's own signing keys of one purpose ("audit" for audit checkpoints,
// "tokens" for issued tokens), kept in the Store's signing_keys table, and rotates them.
//
// The newest stored key is the current one: the only key that signs, and the only one whose private
// half is ever decrypted. New keys get the kid "<purpose>-<16 random id characters>", the
// configured algorithm (ES256 or EdDSA) and, when a key-encryption key (KEK) is configured, a
// private half sealed with it for the row "<purpose>/<kid>/<alg>"; without one it is stored as
// plain PKCS#8 PEM. Public halves are read from the public_jwk column (keys/stored_key.hpp), so
// listing and verification never need the KEK. A key replaced by a newer one stays published (in
// verification_keys and public_jwks) until `publish_retired_for` after its successor was created.
// A changed `algorithm` takes effect at the next rotation; a plain-PEM key stored before a KEK was
// configured is still used and counted by unsealed_keys(). When two processes rotate at once the
// newest row wins for both (each re-reads after inserting).
//
// Thread-safe: readers take a shared lock on an immutable snapshot; load/refresh/rotate are
// serialised among themselves and swap the snapshot in under the exclusive lock. The Store is
// borrowed and must outlive the ring. Errors and logs never contain private key material.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwks.hpp"
#include "jose/signing_key.hpp"
#include "keys/key_encryption_key.hpp"
#include "store/store.hpp"

namespace sg::keys {

inline constexpr std::string_view kTokenKeyPurpose = "tokens";

struct KeyRingOptions {
  std::string purpose;
  jose::Algorithm algorithm = jose::Algorithm::kES256;  // ES256 or EdDSA only
  std::optional<KeyEncryptionKey> kek;                  // none: private keys stored as plain PEM
  // How long after being replaced a key's public half stays in the JWKS (tokens: max_ttl + leeway;
  // audit: forever).
  Duration publish_retired_for = Duration::max();
};

class KeyRing {
 public:
  KeyRing(store::Store& store, KeyRingOptions options);
  ~KeyRing();
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // Reads the stored keys, creating the first key at `now` when there is none. Must be called
  // before the rest. Errors: kStoreUnavailable; kInvalidConfig (the algorithm option is not ES256
  // or EdDSA, keys are sealed and no KEK is configured, or another KEK sealed them — naming the KEK
  // ids); kInternal (a key cannot be read).
  Status load(Time now);

  // Re-reads the store, e.g. after another process rotated (the current key is decrypted again
  // only when it changed). Errors as load.
  Status refresh(Time now);

  // The current signing key (the newest). Precondition: load() succeeded (else std::logic_error).
  jose::SigningKey current() const;

  // Makes and stores a new current key at `now` (or just after the current key's creation time,
  // if that is not before `now`); returns its kid. Errors: kStoreUnavailable, kInternal, and those
  // of load.
  Result<std::string> rotate(Time now);

  // Rotates when the current key was created `every` or longer before `now` (after re-reading the
  // store, so a rotation by another process counts). Returns whether it rotated.
  Result<bool> rotate_if_older_than(Duration every, Time now);

  // When the current key was created. Precondition: load() succeeded.
  Time current_created_at() const;

  // The public keys to trust at `now`: the current key and every replaced key whose successor was
  // created less than publish_retired_for before `now`.
  jose::KeySet verification_keys(Time now) const;

  // The same as a public JWKS {"keys":[…]}, newest first — never a private member.
  boost::json::object public_jwks(Time now) const;

  // The number of keys published at `now` (the size of verification_keys(now)).
  std::size_t published_keys(Time now) const;

  // Whether a KEK is configured, so new private keys are sealed (false → the app warns loudly).
  bool sealed() const;

  // Stored keys of this purpose whose private half is plain PEM although a KEK is configured
  // (written before it was): the app warns "rotate to replace it". 0 without a KEK.
  std::size_t unsealed_keys() const;

  const KeyRingOptions& options() const { return options_; }

 private:
  struct Snapshot;

  // Reads the store into a new snapshot (reusing the current private key when unchanged) and
  // swaps it in; creates the first key when there is none and `create` is set. Caller holds
  // update_mu_.
  Status reload(Time now, bool create);
  Result<std::string> insert_new_key(Time now);
  std::shared_ptr<const Snapshot> snapshot() const;

  store::Store& store_;
  const KeyRingOptions options_;
  std::mutex update_mu_;  // serialises load, refresh and rotate
  mutable std::shared_mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_;  // guarded by mu_; null before load()
};

}  // namespace sg::keys
