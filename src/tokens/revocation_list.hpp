// RevocationList is the set of stackgate token ids (`jti`) revoked before their expiry, each kept
// until the token would have expired anyway.
//
// The store is the record (table revoked_tokens); this is its in-memory index, so checking a token
// costs a hash lookup. revoke() writes the store first and only then the index: when the store
// fails, the caller learns the revocation did not happen. refresh() re-reads the store, which picks
// up revocations made by other gateway processes sharing it, and forgets expired entries. The app
// owns it; the self issuer and the revocation endpoint share it. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "store/store.hpp"

namespace sg::tokens {

inline constexpr std::chrono::seconds kRevocationRefreshEvery{10};

class RevocationList {
 public:
  explicit RevocationList(store::Store& store) : store_(store) {}

  // Reads every unexpired revocation from the store, replacing the index; also purges expired
  // rows. Errors: kStoreUnavailable (the index is left as it was).
  Status refresh(Time now);

  // Revokes `jti` until `expires_at` (seconds since the epoch). Idempotent.
  // Errors: kStoreUnavailable (nothing revoked).
  Status revoke(std::string_view jti, std::int64_t expires_at, Time now);

  bool is_revoked(std::string_view jti) const;

  // is_revoked, after re-reading the store when the last refresh is kRefreshEvery old: how
  // revocations made by other processes arrive. A failed re-read keeps the index as it is.
  bool check(std::string_view jti, Time now);

  std::size_t size() const;

 private:
  store::Store& store_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::int64_t> revoked_;  // jti → expires_at
  std::atomic<Time::rep> last_refresh_{0};
};

}  // namespace sg::tokens
