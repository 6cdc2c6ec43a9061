#include "identity/jwks_cache.hpp"

#include <algorithm>
#include <utility>

#include "jose/json_reader.hpp"

namespace sg::identity {
namespace {

std::string without_trailing_slash(std::string s) {
  while (s.ends_with('/'))
    s.pop_back();
  return s;
}

bool acceptable_jwks_uri(std::string_view uri, std::string_view issuer) {
  if (uri.starts_with("https://")) return uri.size() > 8;
  return uri.starts_with("http://") && issuer.starts_with("http://") && uri.size() > 7;
}

// Resets the refresh flag and wakes the waiters even if the fetch throws.
class RefreshDone {
 public:
  RefreshDone(std::mutex& mu, std::condition_variable& cv, bool& refreshing, std::uint64_t& gen)
      : mu_(mu), cv_(cv), refreshing_(refreshing), gen_(gen) {}
  ~RefreshDone() {
    {
      std::lock_guard lock(mu_);
      refreshing_ = false;
      ++gen_;
    }
    cv_.notify_all();
  }
  RefreshDone(const RefreshDone&) = delete;
  RefreshDone& operator=(const RefreshDone&) = delete;

 private:
  std::mutex& mu_;
  std::condition_variable& cv_;
  bool& refreshing_;
  std::uint64_t& gen_;
};

// A fetch failure; usable() and refresh_now() name the issuer when they report it.
Error fail(std::string what) {
  return make_error(Errc::kIssuerUnavailable, std::move(what));
}

}  // namespace

JwksCache::JwksCache(std::string name, JwksSource source, Fetcher& fetcher, const Clock& clock,
                     Logger* logger, JwksCacheOptions options)
    : name_(std::move(name)),
      source_(std::move(source)),
      fetcher_(&fetcher),
      clock_(&clock),
      logger_(logger),
      options_(std::move(options)) {}

JwksCache::JwksCache(std::string name, jose::KeySet keys)
    : name_(std::move(name)), keys_(std::make_shared<const jose::KeySet>(std::move(keys))) {}

Error JwksCache::unavailable(std::string what) const {
  return make_error(Errc::kIssuerUnavailable, "issuer " + name_ + ": " + std::move(what));
}

Result<JwksCache::Keys> JwksCache::keys() {
  if (fetcher_ == nullptr) return keys_;  // static: immutable after construction
  {
    std::shared_lock lock(mu_);
    if (keys_ && clock_->now() < fresh_until_) return keys_;
  }
  refresh(false);
  return usable(clock_->now());
}

Result<JwksCache::Keys> JwksCache::keys_for(const std::optional<std::string>& kid) {
  auto current = keys();
  if (!current.ok() || !kid || fetcher_ == nullptr || (*current)->find(*kid) != nullptr) {
    return current;
  }
  refresh(false);
  return usable(clock_->now());
}

Status JwksCache::refresh_now() {
  if (fetcher_ == nullptr) return {};
  refresh(true);
  std::shared_lock lock(mu_);
  if (!last_error_.empty()) return unavailable(last_error_);
  return {};
}

Status JwksCache::ready() const {
  if (fetcher_ == nullptr) return {};
  auto k = usable(clock_->now());
  if (!k.ok()) return k.error();
  return {};
}

Result<JwksCache::Keys> JwksCache::usable(Time now) const {
  std::shared_lock lock(mu_);
  if (keys_ && now < fresh_until_ + options_.max_stale) return keys_;
  if (keys_) return unavailable("keys are stale and cannot be refreshed: " + last_error_);
  if (last_error_.empty()) return unavailable("keys have not been fetched yet");
  return unavailable("keys cannot be fetched: " + last_error_);
}

void JwksCache::refresh(bool force) {
  std::unique_lock lock(refresh_mu_);
  if (refreshing_) {  // single flight: wait for the fetch in progress and use its result
    const std::uint64_t generation = generation_;
    refresh_cv_.wait(lock, [&] { return generation_ != generation; });
    return;
  }
  const Time now = clock_->now();
  if (!force && attempted_ && now < last_attempt_ + options_.cooldown) return;
  refreshing_ = true;
  attempted_ = true;
  last_attempt_ = now;
  lock.unlock();
  RefreshDone done(refresh_mu_, refresh_cv_, refreshing_, generation_);
  install(fetch());
}

void JwksCache::install(Result<Fetched> fetched) {
  const Time now = clock_->now();
  std::unique_lock lock(mu_);
  if (!fetched.ok()) {
    last_error_ = fetched.error().message;
    lock.unlock();
    if (logger_ != nullptr) {
      logger_->warn("jwks refresh failed",
                    {{"issuer", name_}, {"reason", fetched.error().message}});
    }
    return;
  }
  const std::size_t count = fetched->keys->size();
  const auto max_age_s = std::chrono::duration_cast<std::chrono::seconds>(fetched->max_age);
  keys_ = std::move(fetched->keys);
  fresh_until_ = now + fetched->max_age;
  last_error_.clear();
  lock.unlock();
  if (logger_ != nullptr) {
    logger_->info("jwks refreshed", {{"issuer", name_},
                                     {"keys", count},
                                     {"max_age_s", static_cast<long long>(max_age_s.count())}});
  }
}

Result<std::string> JwksCache::discover() const {
  const std::string url =
      without_trailing_slash(source_.issuer) + "/.well-known/openid-configuration";
  auto resp = fetcher_->get(url, options_.fetch);
  if (!resp.ok()) return fail(resp.error().message);
  if (resp->status != 200) {
    return fail("discovery request to " + url + " answered HTTP " + std::to_string(resp->status));
  }
  if (resp->body.size() > options_.fetch.max_bytes) {
    return fail("discovery document from " + url + " is too large");
  }
  auto doc = jose::parse_strict_object(resp->body, {options_.fetch.max_bytes, 32},
                                       "discovery document", Errc::kInvalidArgument);
  if (!doc.ok()) return fail(doc.error().message);
  const auto* issuer = doc->if_contains("issuer");
  if (issuer == nullptr || !issuer->is_string() || issuer->get_string() != source_.issuer) {
    return fail("discovery document issuer does not match the configured issuer");
  }
  const auto* jwks_uri = doc->if_contains("jwks_uri");
  if (jwks_uri == nullptr || !jwks_uri->is_string() ||
      !acceptable_jwks_uri(jwks_uri->get_string(), source_.issuer)) {
    return fail("discovery document has no usable jwks_uri");
  }
  return std::string(jwks_uri->get_string());
}

Result<JwksCache::Fetched> JwksCache::fetch() const {
  std::string uri = source_.jwks_uri;
  if (uri.empty()) {
    auto discovered = discover();
    if (!discovered.ok()) return discovered.error();
    uri = std::move(discovered).value();
  }
  auto resp = fetcher_->get(uri, options_.fetch);
  if (!resp.ok()) return fail(resp.error().message);
  if (resp->status != 200) {
    return fail("JWKS request to " + uri + " answered HTTP " + std::to_string(resp->status));
  }
  if (resp->body.size() > options_.fetch.max_bytes) {
    return fail("JWKS from " + uri + " is too large");
  }
  auto parsed = jose::parse_jwks(resp->body, options_.limits);
  if (!parsed.ok()) return fail("JWKS from " + uri + " refused: " + parsed.error().message);
  if (parsed->keys.empty()) return fail("JWKS from " + uri + " has no usable key");
  if (logger_ != nullptr) {
    for (const jose::SkippedKey& s : parsed->skipped) {
      logger_->warn("jwks key skipped",
                    {{"issuer", name_}, {"index", s.index}, {"reason", s.reason}});
    }
  }
  Duration max_age = options_.max_age;
  if (resp->max_age) {
    max_age = std::clamp<Duration>(*resp->max_age, options_.min_max_age, options_.max_max_age);
  }
  return Fetched{std::make_shared<const jose::KeySet>(std::move(parsed->keys)), max_age};
}

}  // namespace sg::identity
