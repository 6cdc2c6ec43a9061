// The audit events of the token service: `token.issued` and `token.revoked`.
//
// A token is named by its `jti`, never by its value. token.issued: the actor is the token's
// subject, with `act` listing the acting agents (current first); details hold jti, aud, exp (Unix
// seconds), the issued token type, the signing key's kid, scope when narrowed, and how it was
// issued ("exchange", or "cli" for `stackgate token mint`). token.revoked: the actor is who
// revoked it; details hold jti, exp, and how ("holder": the token itself was presented, "admin":
// by jti with the admin action). Callers add the request. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "audit/event.hpp"
#include "common/result.hpp"
#include "policy/principal.hpp"
#include "tokens/minter.hpp"

namespace sg::tokens {

// The audit form of a principal: subject, issuer (of origin), kind, name, email, act.
audit::AuditActor audit_actor(const policy::Principal& who);

// `subject` is the token's subject; `actor` its current actor (may be null) and `earlier` the
// actors before it.
audit::AuditEvent issued_event(const IssuedToken& token, const policy::Principal& subject,
                               const policy::Principal* actor,
                               const std::vector<std::string>& earlier, std::string_view how);

// `token.refused`: an exchange refused for a verified subject (a scope beyond its permissions, an
// audience not served…); reason is the error code, details.message the plain explanation.
audit::AuditEvent refused_event(const policy::Principal& subject, const Error& why);

audit::AuditEvent revoked_event(std::string_view jti, std::int64_t expires_at,
                                const policy::Principal& by, std::string_view how);

}  // namespace sg::tokens
