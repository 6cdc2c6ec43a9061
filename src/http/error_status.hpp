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

// The OAuth code (RFC 6749 §5.2, RFC 6750 §3.1, RFC 8693 §2.2.2) of an error at an /oauth
// endpoint: invalid_request, invalid_scope, invalid_target, unsupported_grant_type,
// invalid_token (401), insufficient_scope (403), temporarily_unavailable (503), server_error.
std::string_view oauth_code(Errc code);

// The /oauth endpoints' error: {"error": oauth_code, "error_description": message} with the
// status of status_of(), Pragma: no-cache (the session adds Cache-Control: no-store to every
// answer), and the Bearer challenge on a 401. A 500 never
// shows its message.
Response oauth_error_response(const Error& error);

}  // namespace sg::http
