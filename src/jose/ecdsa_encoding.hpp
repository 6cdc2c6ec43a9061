// Conversion between the JWS encoding of ECDSA signatures (raw R‖S, RFC 7518 §3.4) and the DER
// encoding OpenSSL speaks.
//
// Internal to src/jose. raw_to_der is the only way a token's ECDSA signature reaches OpenSSL: it
// requires exactly 2 × field-size bytes and r, s in [1, n−1], so DER (or any other length) is never
// auto-detected. der_to_raw is for our own signatures. Pure functions; thread-safe.
#pragma once

#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/bytes.hpp"

namespace sg::jose::detail {

// Errors: kBadSignature naming the failed check.
Result<Bytes> ecdsa_raw_to_der(const Bytes& raw, Curve curve);

// Errors: kInternal when `der` is not an ECDSA-Sig-Value that fits the curve.
Result<Bytes> ecdsa_der_to_raw(const Bytes& der, Curve curve);

}  // namespace sg::jose::detail
