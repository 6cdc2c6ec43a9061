// CurlFetcher is the real Fetcher: HTTP(S) GETs through libcurl, for discovery documents, JWKS and
// Backstage's userinfo.
//
// Every call uses its own easy handle, so calls never share state and the class is thread-safe.
// What a call does:
// - only http and https URLs; redirects are followed at most `max_redirects` times and only to
//   https (so never from https down to http, nor to file:, ftp: or any other scheme);
// - TLS peer and host verification always on, TLS 1.2 at least;
// - the whole call is bounded by FetchOptions::timeout, connecting by `connect_timeout` too;
// - the body is capped at FetchOptions::max_bytes (a larger response is an error, whether or not
//   it announced its length);
// - Cache-Control max-age of the final response is reported in FetchResponse::max_age;
// - proxies come from the environment as libcurl reads them (https_proxy / HTTPS_PROXY, http_proxy,
//   no_proxy / NO_PROXY): deliberately left on, so a gateway behind a corporate proxy reaches its
//   IdP without configuration;
// - no signals (CURLOPT_NOSIGNAL), safe in a multi-threaded server.
// Errors are kIssuerUnavailable with a message naming the URL (without userinfo, query or
// fragment) and curl's reason; never a header value, so an Authorization header cannot leak.
// libcurl's global initialisation runs once, on the first construction.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "identity/fetcher.hpp"

namespace sg::identity {

class CurlFetcher final : public Fetcher {
 public:
  struct Limits {
    std::chrono::milliseconds connect_timeout{3000};  // also bounded by FetchOptions::timeout
    long max_redirects = 3;
  };

  CurlFetcher();
  explicit CurlFetcher(Limits limits);

  Result<FetchResponse> get(const std::string& url, const FetchOptions& options) override;

 private:
  Limits limits_;
};

// The max-age directive of a Cache-Control header value ("public, max-age=600" → 600 s), if any.
// Directive names are case-insensitive; a malformed, negative or duplicated max-age gives none;
// values are capped at one day. Exposed for tests.
std::optional<std::chrono::seconds> cache_max_age(std::string_view cache_control);

}  // namespace sg::identity
