// JwksCache holds the signing keys of one trusted issuer and refreshes them.
//
// Remote keys come through the injected Fetcher: from the configured `jwks_uri`, or else from the
// `jwks_uri` of the issuer's OpenID discovery document
// (`<issuer>/.well-known/openid-configuration`, fetched on every refresh, whose `issuer` must equal
// the configured one byte for byte). Static keys (issuers of kind jwks) are given at construction
// and never fetched: reading the file is the factory's job. A fetched set is fresh for `max_age`
// (the response's Cache-Control max-age when present, clamped to [min_max_age, max_max_age]). A
// token naming an unknown `kid` triggers one refresh. Refreshes of either kind happen at most once
// per `cooldown` and one at a time (single flight: concurrent callers wait for the fetch in
// progress and use its result). When a refresh fails the last good set stays in use until
// `max_stale` past its expiry, then kIssuerUnavailable. Responses are bounded
// (FetchOptions.max_bytes and timeout, JwksLimits key count). Refreshes and failures are logged
// (when a Logger is given) without key material. Owned by one TrustedIssuer. Thread-safe: lookups
// take a shared lock; one refresh at a time.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "identity/fetcher.hpp"
#include "jose/jwks.hpp"

namespace sg::identity {

struct JwksCacheOptions {
  Duration max_age = std::chrono::minutes(10);  // when the response has no Cache-Control max-age
  Duration min_max_age = std::chrono::minutes(1);
  Duration max_max_age = std::chrono::hours(24);
  Duration cooldown = std::chrono::seconds(30);  // between two refresh attempts
  // How long past its expiry a set is still used while refreshes fail.
  Duration max_stale = std::chrono::hours(1);
  FetchOptions fetch;       // timeout and size cap of each request
  jose::JwksLimits limits;  // key count and JSON size
};

struct JwksSource {
  std::string issuer;    // exact `issuer` the discovery document must carry
  std::string jwks_uri;  // when set, discovery is skipped
};

class JwksCache {
 public:
  using Keys = std::shared_ptr<const jose::KeySet>;

  // Keys fetched from `source`. `name` (the issuer's configured name) labels logs and errors.
  JwksCache(std::string name, JwksSource source, Fetcher& fetcher, const Clock& clock,
            Logger* logger, JwksCacheOptions options = {});
  // A static set, never refreshed.
  JwksCache(std::string name, jose::KeySet keys);

  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  // The current keys, fetched first when there are none or they are past their max age.
  // Errors: kIssuerUnavailable.
  Result<Keys> keys();

  // The keys to verify a token naming `kid`: when no current key has that kid, one refresh
  // (subject to the cooldown) first. The kid may still be missing from the result.
  // Errors: kIssuerUnavailable.
  Result<Keys> keys_for(const std::optional<std::string>& kid);

  // Fetches now, ignoring the cooldown (start-up warm-up). Errors: kIssuerUnavailable.
  Status refresh_now();

  // Whether usable keys are held, without any network. Errors: kIssuerUnavailable.
  Status ready() const;

 private:
  struct Fetched {
    Keys keys;
    Duration max_age;
  };

  void refresh(bool force);
  Result<Fetched> fetch() const;
  Result<std::string> discover() const;
  void install(Result<Fetched> fetched);
  Result<Keys> usable(Time now) const;
  Error unavailable(std::string what) const;

  const std::string name_;
  const JwksSource source_;
  Fetcher* const fetcher_ = nullptr;  // null for a static set
  const Clock* const clock_ = nullptr;
  Logger* const logger_ = nullptr;
  const JwksCacheOptions options_;

  mutable std::shared_mutex mu_;  // guards keys_, fresh_until_, last_error_
  Keys keys_;
  Time fresh_until_{};
  std::string last_error_;

  std::mutex refresh_mu_;  // guards the refresh state below
  std::condition_variable refresh_cv_;
  bool refreshing_ = false;
  bool attempted_ = false;
  std::uint64_t generation_ = 0;
  Time last_attempt_{};
};

}  // namespace sg::identity
