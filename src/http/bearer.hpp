// Reads the caller's bearer token from a request (RFC 6750 §2.1: `Authorization: Bearer <token>`).
//
// Exactly one Authorization header, scheme "Bearer" (case-insensitive), one or more spaces, then a
// token of token68 characters; anything else is refused before any verification is attempted. The
// token is returned as a view into the request and must never be logged. Pure; thread-safe.
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "http/request.hpp"

namespace sg::http {

// Errors: kUnauthenticated (no Authorization header), kMalformedToken (several headers, another
// scheme, an empty or malformed token).
Result<std::string_view> bearer_token(const Request& request);

}  // namespace sg::http
