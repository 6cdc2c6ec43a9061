#include "identity/token_cache.hpp"

#include <utility>

#include "identity/token_hash.hpp"

namespace sg::identity {

std::shared_ptr<const policy::Principal> TokenCache::get(const TokenHash& hash, Time now) {
  return map_.get(hash, now);
}

void TokenCache::put(const TokenHash& hash, std::shared_ptr<const policy::Principal> principal,
                     Time expires, Time now) {
  if (expires <= now || !principal) return;
  map_.put(hash, std::move(principal), expires);
}

void TokenCache::invalidate(std::string_view token) {
  map_.erase(token_hash(token));
}

void TokenCache::clear() {
  map_.clear();
}

}  // namespace sg::identity
