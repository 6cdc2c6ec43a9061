// checkpoint_keys ties the audit checkpoints to the gateway's key machinery: the checkpoint key is
// the current key of the KeyRing (keys/key_ring.hpp) with the purpose "audit", kept in the Store's
// signing_keys table and published forever, so every checkpoint ever signed keeps verifying.
//
// The writer signs with the ring's current key; `stackgate keys rotate --purpose audit` replaces it
// (the writer picks the new key up at its next checkpoint). Verification and export read only the
// public halves (checkpoint_verification_keys, checkpoint_public_jwks), so `stackgate audit verify`
// and `audit keys` never need the key-encryption key. Errors never contain key material.
// Thread-safe as the Store is.
#pragma once

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwks.hpp"
#include "jose/signing_key.hpp"
#include "keys/key_encryption_key.hpp"
#include "keys/key_ring.hpp"
#include "store/store.hpp"

namespace sg::audit {

inline constexpr std::string_view kCheckpointKeyPurpose = "audit";

// The options of the audit key ring: purpose "audit", new keys made with `alg` (ES256 or EdDSA),
// sealed with `kek` when given, every key published forever.
keys::KeyRingOptions checkpoint_key_ring_options(
    jose::Algorithm alg, std::optional<keys::KeyEncryptionKey> kek = std::nullopt);

// The current checkpoint key, created at `now` with `alg` if there is none (a KeyRing loaded once;
// for tools and tests — the app keeps one ring). Errors: kInvalidArgument (`alg` cannot sign
// checkpoints), and those of KeyRing::load.
Result<jose::SigningKey> load_or_create_checkpoint_key(
    store::Store& store, jose::Algorithm alg, Time now,
    std::optional<keys::KeyEncryptionKey> kek = std::nullopt);

// The public keys of every checkpoint key ever stored, for verification. Needs no KEK.
// Errors: kStoreUnavailable, kInternal (a stored key cannot be read).
Result<jose::KeySet> checkpoint_verification_keys(store::Store& store);

// The same keys as a public JWKS, {"keys": [{kty, kid, use: "sig", alg, crv, x, y}, …]}, newest
// first: what an auditor exports once and later passes to `stackgate audit verify --keys`, so
// that keys replaced in the store cannot vouch for a rewritten log. Never a private member.
// Errors: kStoreUnavailable, kInternal (a stored key cannot be read).
Result<boost::json::object> checkpoint_public_jwks(store::Store& store);

}  // namespace sg::audit
