// CurlPoster is the real HttpPoster: HTTP(S) POSTs through libcurl, for the audit webhook sink and
// the Pulumi Cloud token exchange.
//
// Every call uses its own easy handle, so calls never share state and the class is thread-safe.
// What a call does:
// - only http and https URLs; redirects are never followed (a 3xx is returned as the status);
// - TLS peer and host verification always on, TLS 1.2 at least;
// - the whole call is bounded by `timeout`, connecting by Limits::connect_timeout too;
// - the response body is kept, at most Limits::max_response_bytes of it: a longer body ends the
//   transfer, and the status already received is returned with what fit of the body and
//   HttpReply::body_cut set (the endpoint answered before its body), or an error when there is
//   no status;
// - no `Expect: 100-continue` round trip;
// - proxies come from the environment as libcurl reads them (https_proxy / HTTPS_PROXY, no_proxy);
// - no signals (CURLOPT_NOSIGNAL), safe in a multi-threaded server.
// Errors are kUnavailable, "POST <url> failed: <curl's reason>", the URL without userinfo, query or
// fragment (common/printable_url.hpp); never a header value. libcurl's global initialisation runs
// on the first construction (libcurl ≥ 7.84 makes it thread-safe, and it counts its callers, so
// identity's fetcher doing the same is harmless).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "audit/http_poster.hpp"

namespace sg::audit {

class CurlPoster final : public HttpPoster {
 public:
  struct Limits {
    std::chrono::milliseconds connect_timeout{5000};  // also bounded by the call's timeout
    std::size_t max_response_bytes = 64 * 1024;
  };

  CurlPoster();
  explicit CurlPoster(Limits limits);

  Result<HttpReply> post(const std::string& url, std::string_view content_type,
                         std::string_view body, const HttpHeaders& headers,
                         std::chrono::milliseconds timeout) override;

 private:
  Limits limits_;
};

}  // namespace sg::audit
