// The audit event of a run token: `token.issued`, as tokens/token_events.hpp makes it, for a
// token minted by CredentialPreparer.
//
// The actor is the run's requester (with the agents acting for them in `act`), the resource the
// run's stack, `run_id` the run, and the details those of every token.issued — jti, aud, exp,
// token_type ("id_token"), kid — with how "run" and `sub`, the run token's subject
// ("stack:<org>/<project>/<stack>:operation:<op>"). Never the token value. Owner: runs. Pure
// function; thread-safe.
#pragma once

#include "audit/event.hpp"
#include "runs/run_identity.hpp"
#include "tokens/minter.hpp"

namespace sg::runs {

audit::AuditEvent run_token_event(const tokens::IssuedToken& token, const RunIdentity& run);

}  // namespace sg::runs
