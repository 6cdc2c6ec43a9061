// The JWS/JWT verifier: jose-rules.md "Verifying, in this order", steps 1-8.
//
// verify_jws_signature runs steps 1-6 (shape, base64url, header, allow-list, typ, key selection,
// signature) and returns the header and the payload bytes; it is for JWS whose payload is not a
// claims set. verify_jws runs all steps and returns the claims only after every check passed. Keys
// come only from `keys` (see KeySet::select for how the kid is matched); nothing in the token can
// name another key. Error messages name the failed check and never echo the token.
// Pure functions (time is a parameter); thread-safe.
#pragma once

#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "jose/bytes.hpp"
#include "jose/claims.hpp"
#include "jose/header.hpp"
#include "jose/jwks.hpp"
#include "jose/verify_options.hpp"

namespace sg::jose {

struct VerifiedJws {
  JoseHeader header;
  Bytes payload;
};

struct VerifiedToken {
  JoseHeader header;
  Claims claims;
};

// Steps 1-6. Errors: kMalformedToken, kDisallowedAlgorithm, kUnknownKey, kBadSignature,
// kInvalidArgument (empty allow-list).
Result<VerifiedJws> verify_jws_signature(std::string_view token, const KeySet& keys,
                                         const VerifyOptions& opts);

// Steps 1-8. Errors: those of verify_jws_signature and of validate_claims.
Result<VerifiedToken> verify_jws(std::string_view token, const KeySet& keys,
                                 const VerifyOptions& opts, Time now);

}  // namespace sg::jose
