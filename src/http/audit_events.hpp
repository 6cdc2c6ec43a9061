// The audit events the HTTP handlers record: an authentication failure, and an authorization
// decision. Handlers attach them to their Response (Response::audit); the session makes them
// durable before it answers (http/session.cpp).
//
// Only verified facts go in: the principal the authenticator produced, the decision the evaluator
// made, and of the request its id, the peer address and a cleaned, bounded user agent. Never a
// token, a header value or a body. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "audit/event.hpp"
#include "common/result.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "policy/action.hpp"
#include "policy/evaluator.hpp"
#include "policy/principal.hpp"

namespace sg::http {

audit::AuditRequest audit_request(const Request& request);
audit::AuditActor audit_actor(const policy::Principal& who);

// `auth.failed`: reason is the error code ("expired", "unauthenticated"…); details.message the
// plain explanation (which never quotes the token).
audit::AuditEvent auth_failed_event(const Request& request, const Error& error);

// `authz.decision` for `action` on `stack` ("org/project/stack"; empty for a global action).
audit::AuditEvent decision_event(const Request& request, const policy::Principal& who,
                                 policy::Action action, std::string_view stack,
                                 const policy::Decision& decision);

// The 401 for a failed authentication, with its auth.failed event attached.
Response unauthenticated(const Request& request, const Error& error);

}  // namespace sg::http
