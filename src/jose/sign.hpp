// Signing compact JWS with a SigningKey (the gateway as issuer).
//
// sign_bytes produces the JWS signature encoding of each algorithm — ES* as fixed-length raw R‖S,
// never DER. sign_jws builds the protected header ({"alg", "kid", then the caller's fields}),
// refuses fields the verifier would refuse, checks the claims are a strict-JSON object, and returns
// header.payload.signature. Pure functions (randomness from OpenSSL's DRBG); thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "jose/bytes.hpp"
#include "jose/signing_key.hpp"

namespace sg::jose {

// The signature over `signing_input`. Errors: kInternal.
Result<Bytes> sign_bytes(const SigningKey& key, std::string_view signing_input);

// Signs `claims_json` (a JSON object) with `key`. `header_fields` may carry typ, cty and other
// public members; an `alg` or `kid` in it must equal the key's, and crit, b64, zip, enc, jwk, jku,
// x5u, x5c are refused. Errors: kInvalidArgument, kInternal.
Result<std::string> sign_jws(const boost::json::object& header_fields, std::string_view claims_json,
                             const SigningKey& key);

}  // namespace sg::jose
