// TokenCache remembers verified tokens so a repeated token skips the signature check.
//
// Keyed by SHA-256 of the token bytes (the token itself is never stored), bounded by `capacity`
// (least recently used entries are evicted), each entry valid until the token's own expiry: get()
// returns nothing for an expired entry and drops it. invalidate() forgets one token (revocation),
// clear() forgets all. Owned by the Authenticator. Thread-safe; hashing and copying the principal
// happen outside the lock.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "common/clock.hpp"
#include "identity/expiring_lru.hpp"
#include "policy/principal.hpp"

namespace sg::identity {

class TokenCache {
 public:
  explicit TokenCache(std::size_t capacity) : map_(capacity) {}

  // The principal cached for `token`, if it is present and `now` is before its expiry.
  std::optional<policy::Principal> get(std::string_view token, Time now);

  // Remembers `principal` for `token` until `expires`. Does nothing if `expires` <= `now`.
  void put(std::string_view token, policy::Principal principal, Time expires, Time now);

  void invalidate(std::string_view token);
  void clear();
  std::size_t size() const { return map_.size(); }
  std::size_t capacity() const { return map_.capacity(); }

 private:
  ExpiringLru<policy::Principal> map_;
};

}  // namespace sg::identity
