// Fetcher is how identity/ reaches an issuer over HTTP: discovery documents, JWKS and Backstage's
// userinfo. Injected so unit tests use a fake; CurlFetcher is the real one.
//
// A fetch is bounded in time and size by FetchOptions, and never follows a redirect to another
// scheme. Errors are kIssuerUnavailable (connection, TLS, timeout, too large, non-2xx) with a
// message naming the URL and the failure, never a header value. Implementations are thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace sg::identity {

struct FetchOptions {
  std::chrono::milliseconds timeout{5000};
  std::size_t max_bytes = 512 * 1024;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Authorization", "Bearer …"}
};

struct FetchResponse {
  int status = 0;
  std::string body;
  std::optional<std::chrono::seconds> max_age;  // from Cache-Control: max-age, if any
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // GET `url`. A non-2xx status is returned as a response (callers decide), not an error.
  virtual Result<FetchResponse> get(const std::string& url, const FetchOptions& options) = 0;
};

}  // namespace sg::identity
