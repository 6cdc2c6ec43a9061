// Minter signs the tokens the gateway issues: it fixes their lifetime, numbers them (jti) and
// signs them with the current key of the token key ring, rotating the ring when its key is older
// than `rotate_every`.
//
// A lifetime is the requested one (default_ttl when none), cut to max_ttl and to the remaining
// lifetime of the token it was exchanged from (`not_after`); a token that would be born expired is
// refused. It decides nothing about who may have a token — the exchange and the CLI do — and
// records nothing: callers write the token.issued audit event. The ring is re-read at most every
// kRingRefresh so a rotation by `stackgate keys rotate` in another process is picked up.
// Owned by the app; thread-safe (the ring is).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/result.hpp"
#include "keys/key_ring.hpp"
#include "policy/principal.hpp"
#include "policy/scope.hpp"
#include "tokens/run_claims.hpp"
#include "tokens/token_claims.hpp"

namespace sg::tokens {

inline constexpr std::chrono::seconds kRingRefresh{10};

struct MinterSettings {
  std::string issuer;  // server.public_url: `iss`, and the default audience
  Duration default_ttl = std::chrono::minutes(15);
  Duration max_ttl = std::chrono::hours(1);
  Duration rotate_every = std::chrono::hours(24);
};

struct MintRequest {
  policy::Principal subject;                       // its own actor and scope are not used
  std::shared_ptr<const policy::Principal> actor;  // the current actor; null when none
  std::vector<std::string> earlier_actors;         // most recent first
  std::optional<policy::Scope> scope;
  std::string audience;                   // empty: the gateway itself (the issuer URL)
  std::optional<Duration> ttl;            // empty: default_ttl
  std::optional<std::int64_t> not_after;  // the subject token's exp, when there is one
  TokenShape shape = TokenShape::kAccessToken;
  // A run token (tokens/run_claims.hpp): `sub` names the run's stack and operation, `subject` is
  // carried as the requester. Needs shape kIdToken, no actor and no scope.
  std::optional<RunClaims> run;
};

struct IssuedToken {
  std::string token;    // the compact JWS: a secret, never logged or recorded
  std::string subject;  // its `sub`
  std::string jti;
  std::string kid;
  std::string audience;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
  TokenShape shape = TokenShape::kAccessToken;
  std::optional<policy::Scope> scope;
};

class Minter {
 public:
  Minter(MinterSettings settings, keys::KeyRing& keys);

  const MinterSettings& settings() const { return settings_; }

  // Errors: kInvalidArgument (a lifetime that is not positive; the subject token has expired;
  // claims too large to carry; a malformed run token request), kStoreUnavailable (the ring could
  // not be rotated), kInternal.
  Result<IssuedToken> mint(const MintRequest& request, Time now);

 private:
  const MinterSettings settings_;
  keys::KeyRing& keys_;
  std::atomic<Time::rep> last_refresh_{0};
};

}  // namespace sg::tokens
