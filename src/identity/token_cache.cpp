#include "identity/token_cache.hpp"

#include <utility>

#include "identity/token_hash.hpp"

namespace sg::identity {

std::optional<policy::Principal> TokenCache::get(std::string_view token, Time now) {
  auto hit = map_.get(token_hash(token), now);
  if (!hit) return std::nullopt;
  return *hit;  // copied outside the lock
}

void TokenCache::put(std::string_view token, policy::Principal principal, Time expires, Time now) {
  if (expires <= now) return;
  auto value = std::make_shared<const policy::Principal>(std::move(principal));
  map_.put(token_hash(token), std::move(value), expires);
}

void TokenCache::invalidate(std::string_view token) {
  map_.erase(token_hash(token));
}

void TokenCache::clear() {
  map_.clear();
}

}  // namespace sg::identity
