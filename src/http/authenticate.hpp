// authenticate() is the first step of every /v1 and /oauth handler: bearer token → Principal.
//
// Failures are logged (request id and the reason code, never the token) and returned as errors that
// error_response() turns into a 401 with its challenge. The principal is the Authenticator's
// shared, immutable value (never null). The Authenticator is borrowed. Thread-safe.
#pragma once

#include <memory>

#include "common/logger.hpp"
#include "common/result.hpp"
#include "http/request.hpp"
#include "identity/authenticator.hpp"
#include "policy/principal.hpp"

namespace sg::http {

Result<std::shared_ptr<const policy::Principal>> authenticate(const Request& request,
                                                              identity::Authenticator& auth,
                                                              Logger& log);

}  // namespace sg::http
