// The signature primitives of jose-rules.md step 6: verify one JWS signature over the exact signing
// input with one trusted key.
//
// verify_signature first checks that `key` may be used with `alg` (family, curve, JWK alg binding),
// then applies the per-algorithm rules: ES* raw R‖S of exactly 64/96/132 bytes with r, s in [1,
// n−1] (never DER); RS* signature length equal to the modulus length; PS* with salt length = digest
// length and MGF1 over the same hash, set explicitly; EdDSA (Ed25519) 64-byte signatures; HS* only
// with shared secrets, full-length tags compared in constant time. OpenSSL 3 EVP APIs only.
// RS*, PS* and ES* hash the signing input, then verify the digest with a context leased from the
// key's pool of initialised ones; EdDSA copies the key's initialised template
// (verify_templates.hpp). Same results as pure functions; thread-safe, also for many threads
// sharing one Jwk.
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/bytes.hpp"
#include "jose/jwk.hpp"

namespace sg::jose {

// Errors: kBadSignature (wrong length, out-of-range values, mismatch), kDisallowedAlgorithm (the
// key cannot be used with `alg`), kInternal (OpenSSL could not be set up).
Status verify_signature(Algorithm alg, const Jwk& key, std::string_view signing_input,
                        const Bytes& signature);

}  // namespace sg::jose
