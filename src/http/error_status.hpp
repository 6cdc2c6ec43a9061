// The one mapping from error codes to HTTP statuses and error bodies.
//
// status_of() is the only switch from Errc to a status in the code base. error_response() builds
// {"error":{"code":"…","message":"…"}}; for kInternal the message is replaced by a generic one so
// internals never reach a caller. Every 401 carries the RFC 6750 `WWW-Authenticate: Bearer`
// challenge (with error="invalid_token" and the message as error_description when a token was
// presented). Pure functions; thread-safe.
#pragma once

#include "common/result.hpp"
#include "http/response.hpp"

namespace sg::http {

int status_of(Errc code);

Response error_response(const Error& error);

}  // namespace sg::http
