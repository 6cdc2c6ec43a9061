#include "runs/run_token_events.hpp"

#include "tokens/token_events.hpp"

namespace sg::runs {

audit::AuditEvent run_token_event(const tokens::IssuedToken& token, const RunIdentity& run) {
  audit::AuditEvent e = tokens::issued_event(token, run.requester, nullptr, {}, "run");
  e.actor->act = run.requester.act;
  e.resource = audit::AuditResource{run.org + "/" + run.project + "/" + run.stack};
  e.run_id = run.run_id;
  e.details["sub"] = token.subject;
  return e;
}

}  // namespace sg::runs
