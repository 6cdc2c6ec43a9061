// Shared helpers for the identity unit tests: a scripted Fetcher, signing keys and token builders.
//
// FakeFetcher answers from a map url → response (or error), counts calls per URL, records the
// headers of the last call and can be made slow; it is thread-safe. Keys are generated per call
// (ES256 is fast). Test-only.
#pragma once

#include <atomic>
#include <chrono>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "identity/fetcher.hpp"
#include "jose/signing_key.hpp"

namespace sg::identity::test {

class FakeFetcher final : public Fetcher {
 public:
  Result<FetchResponse> get(const std::string& url, const FetchOptions& options) override;

  void set(const std::string& url, std::string body, int status = 200,
           std::optional<std::chrono::seconds> max_age = std::nullopt);
  void fail(const std::string& url);  // answers kIssuerUnavailable
  void remove(const std::string& url);
  void set_delay(std::chrono::milliseconds d) { delay_ = d; }

  int calls(const std::string& url) const;
  int total_calls() const;
  std::vector<std::pair<std::string, std::string>> last_headers(const std::string& url) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Result<FetchResponse>> answers_;
  std::map<std::string, int> calls_;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> headers_;
  std::atomic<std::chrono::milliseconds> delay_{std::chrono::milliseconds(0)};
};

inline constexpr std::int64_t kNow = 1'700'000'000;
inline Time at(std::int64_t s) {
  return Time(std::chrono::seconds(s));
}

jose::SigningKey es256_key(const std::string& kid);

// {"keys":[<public JWK of each key>]}
std::string jwks_of(std::initializer_list<const jose::SigningKey*> keys);

// A compact JWS of `claims` with header {typ: `typ`} (no typ when empty), signed by `key`.
std::string sign(const jose::SigningKey& key, const boost::json::object& claims,
                 const std::string& typ = "JWT");

// {"issuer": issuer, "jwks_uri": jwks_uri}
std::string discovery_of(const std::string& issuer, const std::string& jwks_uri);

}  // namespace sg::identity::test
