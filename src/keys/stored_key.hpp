// StoredKey is the public view of one row of the store's signing_keys table: what can be listed,
// published and verified without the key-encryption key. read_stored_keys() builds them.
//
// The public half comes from the row's `public_jwk` column; rows written before migration 3 have
// none and hold a plain PKCS#8 PEM, from which it is derived. A row whose public half cannot be
// read (a sealed row without public_jwk, a JWK with a private member, an algorithm other than
// ES256/EdDSA) fails the whole read with kInternal naming its kid, never showing key material.
// Plain value type; the function is thread-safe as the Store is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwk.hpp"
#include "store/store.hpp"

namespace sg::keys {

struct StoredKey {
  store::SigningKeyRecord record;  // the row as stored (private_pem is secret)
  jose::Algorithm algorithm = jose::Algorithm::kES256;
  Time created_at{};
  bool sealed = false;             // private_pem is a JWE sealed with a key-encryption key
  boost::json::object public_jwk;  // {kty, kid, use, alg, crv, x[, y]}: never a private member
  jose::Jwk verification_key;      // the same, ready to verify
};

// Whether `alg` may sign the gateway's own keys (ES256 or EdDSA).
bool is_key_ring_algorithm(jose::Algorithm alg);

// Every key of `purpose`, newest first. Errors: kStoreUnavailable, kInternal (a row cannot be
// read).
Result<std::vector<StoredKey>> read_stored_keys(store::Store& store, std::string_view purpose);

}  // namespace sg::keys
