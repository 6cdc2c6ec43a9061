// Request is what a handler sees of one HTTP request: method, path, query, headers, body, the
// caller's address, the request id and the route's path parameters.
//
// The session builds it from the parsed Beast message; its views point into that message and stay
// valid for the duration of the handler call only. Handlers never see Beast types, so they compile
// without Boost.Beast. Not thread-safe (one request, one thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/method.hpp"

namespace sg::http {

struct Header {
  std::string_view name;
  std::string_view value;
};

struct Request {
  Method method = Method::kOther;
  std::string_view method_text;
  std::string_view target;  // as sent: path and query
  std::string_view path;
  std::string_view query;  // without the '?'
  std::vector<Header> headers;
  std::string_view body;
  std::string remote_ip;
  std::string request_id;
  std::vector<std::pair<std::string_view, std::string_view>> params;  // from the route pattern

  // The first header named `name` (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
  // The path parameter `{name}` of the matched route, or "" if the route has none by that name.
  std::string_view param(std::string_view name) const;
};

}  // namespace sg::http
