// TokenCache remembers verified tokens so a repeated token skips the signature check.
//
// Keyed by SHA-256 of the token bytes (the token itself is never stored), bounded by `capacity`
// (least recently used entries are evicted), each entry valid until the token's own expiry: get()
// returns nothing for an expired entry and drops it. invalidate() forgets one token (revocation),
// clear() forgets all. get() and put() take the token's hash (token_hash()), so a caller hashes
// each token once. Principals are shared, immutable values: get() hands out the cached
// shared_ptr<const Principal> without copying it. Owned by the Authenticator. Thread-safe; hashing
// happens outside the lock.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "common/clock.hpp"
#include "identity/expiring_lru.hpp"
#include "identity/token_hash.hpp"
#include "policy/principal.hpp"

namespace sg::identity {

class TokenCache {
 public:
  explicit TokenCache(std::size_t capacity) : map_(capacity) {}

  // The principal cached for the token whose token_hash() is `hash`, if it is present and `now`
  // is before its expiry; null otherwise.
  std::shared_ptr<const policy::Principal> get(const TokenHash& hash, Time now);

  // Remembers `principal` for the token whose token_hash() is `hash` until `expires`. Does
  // nothing if `expires` <= `now`.
  void put(const TokenHash& hash, std::shared_ptr<const policy::Principal> principal, Time expires,
           Time now);

  void invalidate(std::string_view token);
  void clear();
  std::size_t size() const { return map_.size(); }
  std::size_t capacity() const { return map_.capacity(); }

 private:
  ExpiringLru<policy::Principal> map_;
};

}  // namespace sg::identity
