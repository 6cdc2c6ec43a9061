#include "tokens/revocation_list.hpp"

#include <mutex>

namespace sg::tokens {

Status RevocationList::refresh(Time now) {
  last_refresh_.store(now.time_since_epoch().count());
  const std::int64_t seconds = unix_seconds(now);
  Result<std::vector<store::RevokedToken>> stored = store_.revoked_tokens(seconds);
  if (!stored) return stored.error();
  std::unordered_map<std::string, std::int64_t> fresh;
  fresh.reserve(stored->size());
  for (store::RevokedToken& r : *stored)
    fresh.emplace(std::move(r.jti), r.expires_at);
  {
    std::unique_lock lock(mutex_);
    // Revocations made here after the read began are in the store too, but keep them anyway.
    for (auto& [jti, exp] : revoked_) {
      if (exp > seconds) fresh.emplace(jti, exp);
    }
    revoked_.swap(fresh);
  }
  // Expired rows are dead weight; failing to remove them changes nothing that matters.
  (void)store_.purge_revoked_tokens(seconds);
  return {};
}

Status RevocationList::revoke(std::string_view jti, std::int64_t expires_at, Time now) {
  if (Status s = store_.revoke_token(jti, expires_at, format_rfc3339(now)); !s) return s;
  std::unique_lock lock(mutex_);
  auto [it, inserted] = revoked_.emplace(std::string(jti), expires_at);
  if (!inserted && it->second < expires_at) it->second = expires_at;
  return {};
}

bool RevocationList::is_revoked(std::string_view jti) const {
  std::shared_lock lock(mutex_);
  return revoked_.find(std::string(jti)) != revoked_.end();
}

bool RevocationList::check(std::string_view jti, Time now) {
  Time::rep last = last_refresh_.load();
  const Time::rep current = now.time_since_epoch().count();
  const auto every = std::chrono::duration_cast<Time::duration>(kRevocationRefreshEvery).count();
  if (current - last >= every && last_refresh_.compare_exchange_strong(last, current)) {
    (void)refresh(now);
  }
  return is_revoked(jti);
}

std::size_t RevocationList::size() const {
  std::shared_lock lock(mutex_);
  return revoked_.size();
}

}  // namespace sg::tokens
