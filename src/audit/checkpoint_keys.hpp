// checkpoint_keys manages the gateway's key for signing audit checkpoints, kept in the Store's
// signing_keys table under the purpose "audit".
//
// The first call of load_or_create_checkpoint_key makes an ES256 (or EdDSA) key and stores it;
// later calls load the newest stored one, whatever `alg` says (changing the algorithm is a key
// rotation, which comes with `stackgate keys rotate`). Old keys stay in the table so checkpoints
// they signed keep verifying. The private key is stored as PKCS#8 PEM without encryption for now:
// encryption at rest arrives with the tokens issue's key-encryption key. Errors never contain
// key material. Thread-safe as the Store is.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwks.hpp"
#include "jose/signing_key.hpp"
#include "store/store.hpp"

namespace sg::audit {

inline constexpr std::string_view kCheckpointKeyPurpose = "audit";

// The current checkpoint key, created at `now` with `alg` if there is none.
// Errors: kInvalidArgument (`alg` cannot sign checkpoints), kStoreUnavailable, kInternal (a stored
// key cannot be read).
Result<jose::SigningKey> load_or_create_checkpoint_key(store::Store& store, jose::Algorithm alg,
                                                       Time now);

// The public keys of every checkpoint key ever stored, for verification.
// Errors: kStoreUnavailable, kInternal (a stored key cannot be read).
Result<jose::KeySet> checkpoint_verification_keys(store::Store& store);

// The same keys as a public JWKS, {"keys": [{kty, kid, use: "sig", alg, crv, x, y}, …]}, newest
// first: what an auditor exports once and later passes to `stackgate audit verify --keys`, so
// that keys replaced in the store cannot vouch for a rewritten log. Never a private member.
// Errors: kStoreUnavailable, kInternal (a stored key cannot be read).
Result<boost::json::object> checkpoint_public_jwks(store::Store& store);

}  // namespace sg::audit
