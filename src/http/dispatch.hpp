// dispatch() runs the router's decision for one request and always returns a response: the
// handler's, a 404, a 405 with Allow, or a 500 when the handler throws (a broken invariant).
//
// The 500 body never carries the exception text; the log line does, under the request id. Kept
// apart from the Beast session so it is unit-tested without sockets. Thread-safe (the router is
// read-only).
#pragma once

#include <cstddef>

#include "common/logger.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace sg::http {

struct Dispatched {
  Response response;
  std::size_t route_id;  // for logs and metrics
};

Dispatched dispatch(const Router& router, Request& request, Logger& log);

}  // namespace sg::http
