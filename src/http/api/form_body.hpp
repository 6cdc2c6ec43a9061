// Reading application/x-www-form-urlencoded request bodies (the OAuth endpoints): the body must be
// declared as such and parse strictly as a query string (http/query.hpp) — bad escapes and a
// repeated parameter are errors (RFC 6749 §3.2 forbids repeats). Pure; thread-safe.
#pragma once

#include "common/result.hpp"
#include "http/query.hpp"
#include "http/request.hpp"

namespace sg::http::api {

// Errors: kInvalidArgument (another content type, or a malformed body).
Result<Query> parse_form_body(const Request& request);

}  // namespace sg::http::api
