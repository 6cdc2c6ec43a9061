#include "identity_test_support.hpp"

#include <thread>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "jose/sign.hpp"

namespace sg::identity::test {

Result<FetchResponse> FakeFetcher::get(const std::string& url, const FetchOptions& options) {
  {
    std::lock_guard lock(mu_);
    ++calls_[url];
    headers_[url] = options.headers;
  }
  if (auto d = delay_.load(); d.count() > 0) std::this_thread::sleep_for(d);
  std::lock_guard lock(mu_);
  auto it = answers_.find(url);
  if (it == answers_.end()) return make_error(Errc::kIssuerUnavailable, "no route to " + url);
  return it->second;
}

void FakeFetcher::set(const std::string& url, std::string body, int status,
                      std::optional<std::chrono::seconds> max_age) {
  std::lock_guard lock(mu_);
  answers_.insert_or_assign(url,
                            Result<FetchResponse>(FetchResponse{status, std::move(body), max_age}));
}

void FakeFetcher::fail(const std::string& url) {
  std::lock_guard lock(mu_);
  answers_.insert_or_assign(url, Result<FetchResponse>(make_error(Errc::kIssuerUnavailable,
                                                                  url + ": connection refused")));
}

void FakeFetcher::remove(const std::string& url) {
  std::lock_guard lock(mu_);
  answers_.erase(url);
}

int FakeFetcher::calls(const std::string& url) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(url);
  return it == calls_.end() ? 0 : it->second;
}

int FakeFetcher::total_calls() const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& [url, c] : calls_)
    n += c;
  return n;
}

std::vector<std::pair<std::string, std::string>> FakeFetcher::last_headers(
    const std::string& url) const {
  std::lock_guard lock(mu_);
  auto it = headers_.find(url);
  return it == headers_.end() ? std::vector<std::pair<std::string, std::string>>{} : it->second;
}

jose::SigningKey es256_key(const std::string& kid) {
  auto key = jose::SigningKey::generate(jose::Algorithm::kES256, kid);
  if (!key.ok()) throw std::runtime_error("key generation failed");
  return std::move(key).value();
}

std::string jwks_of(std::initializer_list<const jose::SigningKey*> keys) {
  boost::json::array arr;
  for (const jose::SigningKey* k : keys)
    arr.push_back(k->public_jwk().value());
  boost::json::object doc;
  doc["keys"] = std::move(arr);
  return boost::json::serialize(doc);
}

std::string sign(const jose::SigningKey& key, const boost::json::object& claims,
                 const std::string& typ) {
  boost::json::object header;
  if (!typ.empty()) header["typ"] = typ;
  auto token = jose::sign_jws(header, boost::json::serialize(claims), key);
  if (!token.ok()) throw std::runtime_error("signing failed: " + token.error().message);
  return std::move(token).value();
}

std::string discovery_of(const std::string& issuer, const std::string& jwks_uri) {
  boost::json::object doc;
  doc["issuer"] = issuer;
  doc["jwks_uri"] = jwks_uri;
  return boost::json::serialize(doc);
}

}  // namespace sg::identity::test
