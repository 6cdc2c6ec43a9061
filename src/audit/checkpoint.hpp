// A checkpoint is the gateway's signature over the head of the audit chain at some moment: it
// vouches for the event at `seq` and, through the chain, for every event before it.
//
// The signature is a compact JWS whose protected header is {"alg", "kid", "typ":
// "stackgate-audit-checkpoint+jwt"} and whose payload is the canonical JSON (RFC 8785) of
// {"hash", "seq", "time"}: the event's hash, its seq, and when the checkpoint was made (RFC 3339
// UTC with milliseconds). Checkpoints are signed with ES256 (the default) or EdDSA keys only.
// verify_checkpoint accepts only those algorithms, the exact `typ`, keys from the caller's KeySet
// (selected by kid), and a payload with exactly those three members. Someone who can rewrite the
// store can also re-sign with a key kept in it, so an independent verification passes keys kept
// elsewhere (docs/audit.md). Pure functions (time is a parameter); thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "audit/chain.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/jwks.hpp"
#include "jose/signing_key.hpp"

namespace sg::audit {

inline constexpr std::string_view kCheckpointType = "stackgate-audit-checkpoint+jwt";
inline constexpr jose::Algorithm kDefaultCheckpointAlgorithm = jose::Algorithm::kES256;

// ES256 and EdDSA.
bool is_checkpoint_algorithm(jose::Algorithm alg);

struct Checkpoint {
  std::int64_t seq = 0;
  std::string hash;
  Time time{};  // whole milliseconds

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

struct SignedCheckpoint {
  Checkpoint checkpoint;
  std::string kid;
  std::string jws;

  friend bool operator==(const SignedCheckpoint&, const SignedCheckpoint&) = default;
};

// A checkpoint of `head` made at `now` (truncated to milliseconds).
Checkpoint make_checkpoint(const ChainHead& head, Time now);

// Signs `checkpoint` with `key`. Errors: kInvalidArgument (seq < 1, hash not 64 lower-case hex,
// a key whose algorithm is not ES256 or EdDSA, or without a kid), kInternal.
Result<SignedCheckpoint> sign_checkpoint(const Checkpoint& checkpoint, const jose::SigningKey& key);

// Verifies `jws` with `keys` and returns the checkpoint it signs. Errors: those of
// jose::verify_jws_signature (kMalformedToken, kDisallowedAlgorithm, kUnknownKey, kBadSignature),
// and kMalformedToken for a payload that is not exactly {hash, seq, time} as described above.
Result<Checkpoint> verify_checkpoint(std::string_view jws, const jose::KeySet& keys);

}  // namespace sg::audit
