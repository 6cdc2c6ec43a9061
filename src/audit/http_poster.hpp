// HttpPoster is how the audit webhook sink reaches its endpoint: one HTTP POST, answered with the
// response's status code. Injected so unit tests use a fake; CurlPoster is the real one.
//
// A post is bounded in time by `timeout` and never follows a redirect. Errors are kUnavailable
// (connection, TLS, timeout) or kInvalidArgument (a header with a forbidden character), with a
// message naming the URL without userinfo or query, never a header value: an Authorization header
// must not leak. A non-2xx status is returned as a value, not an error (the caller decides).
// Implementations are thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace sg::audit {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpPoster {
 public:
  virtual ~HttpPoster() = default;

  // POSTs `body` to `url` with `content_type` and `headers`; returns the response's status code.
  virtual Result<int> post(const std::string& url, std::string_view content_type,
                           std::string_view body, const HttpHeaders& headers,
                           std::chrono::milliseconds timeout) = 0;
};

}  // namespace sg::audit
