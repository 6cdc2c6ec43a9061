// HttpPoster makes one HTTP POST and answers with the response's status and the start of its body:
// how the audit webhook sink reaches its endpoint, and how runs/ exchanges a run token at Pulumi
// Cloud. Injected so unit tests use a fake; CurlPoster is the real one.
//
// A post is bounded in time by `timeout` and never follows a redirect. Errors are kUnavailable
// (connection, TLS, timeout) or kInvalidArgument (a header with a forbidden character), with a
// message naming the URL without userinfo or query, never a header value or the body: an
// Authorization header or a token in a form must not leak. A non-2xx status is returned as a
// value, not an error (the caller decides). Implementations are thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace sg::audit {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  int status = 0;
  std::string body;       // at most the poster's bound (CurlPoster: Limits::max_response_bytes)
  bool body_cut = false;  // the body was longer than the bound: `body` holds only its start
};

class HttpPoster {
 public:
  virtual ~HttpPoster() = default;

  // POSTs `body` to `url` with `content_type` and `headers`; returns the response's status and
  // the start of its body.
  virtual Result<HttpReply> post(const std::string& url, std::string_view content_type,
                                 std::string_view body, const HttpHeaders& headers,
                                 std::chrono::milliseconds timeout) = 0;
};

}  // namespace sg::audit
