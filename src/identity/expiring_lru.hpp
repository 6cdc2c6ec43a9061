// ExpiringLru is a bounded map from a token hash to a value that expires at a given time; the
// storage behind TokenCache and the Backstage userinfo cache.
//
// At most `capacity` entries; inserting into a full map evicts the least recently used one. get()
// never returns an entry whose expiry has passed, and removes it. Values are held as
// shared_ptr<const V> so callers copy them outside the lock. Thread-safe: one mutex, held only for
// the list and map operations.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "common/clock.hpp"
#include "identity/token_hash.hpp"

namespace sg::identity {

template <typename V>
class ExpiringLru {
 public:
  explicit ExpiringLru(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  std::shared_ptr<const V> get(const TokenHash& key, Time now) {
    std::lock_guard lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    if (now >= it->second->expires) {
      entries_.erase(it->second);
      index_.erase(it);
      return nullptr;
    }
    entries_.splice(entries_.begin(), entries_, it->second);  // most recently used first
    return it->second->value;
  }

  void put(const TokenHash& key, std::shared_ptr<const V> value, Time expires) {
    std::lock_guard lock(mu_);
    if (auto it = index_.find(key); it != index_.end()) {
      it->second->value = std::move(value);
      it->second->expires = expires;
      entries_.splice(entries_.begin(), entries_, it->second);
      return;
    }
    if (entries_.size() >= capacity_) {
      index_.erase(entries_.back().key);
      entries_.pop_back();
    }
    entries_.push_front(Entry{key, std::move(value), expires});
    index_.emplace(key, entries_.begin());
  }

  void erase(const TokenHash& key) {
    std::lock_guard lock(mu_);
    if (auto it = index_.find(key); it != index_.end()) {
      entries_.erase(it->second);
      index_.erase(it);
    }
  }

  void clear() {
    std::lock_guard lock(mu_);
    index_.clear();
    entries_.clear();
  }

  std::size_t size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
  }

  std::size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    TokenHash key;
    std::shared_ptr<const V> value;
    Time expires;
  };

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> entries_;
  std::unordered_map<TokenHash, typename std::list<Entry>::iterator, TokenHashHasher> index_;
};

}  // namespace sg::identity
