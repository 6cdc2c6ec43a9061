// The audit endpoints, for principals the policy grants the global `audit` action:
//
//   GET /v1/audit?since&until&actor&stack&type&decision&cursor&limit
//       events in seq order, as stored (canonical JSON with their hashes), a page at a time;
//       `next_cursor` is present while more may follow
//   GET /v1/audit/verify
//       replays the whole chain and checks every checkpoint (audit/verify.hpp); 200 either way,
//       with `ok` and, when broken, the first bad seq and why
//
// Reading the audit log is itself recorded (an `authz.decision` for `audit`, allow or deny). One
// verification runs at a time (another gets 429): it reads the whole log. Borrowed services must
// outlive the router. Thread-safe.
#pragma once

#include "audit/audit_store.hpp"
#include "common/logger.hpp"
#include "http/router.hpp"
#include "identity/authenticator.hpp"
#include "policy/policy_holder.hpp"
#include "store/store.hpp"

namespace sg::http::api {

struct AuditDeps {
  identity::Authenticator& auth;
  policy::PolicyHolder& policy;
  audit::AuditStore& audit;
  store::Store& store;  // the checkpoint keys
  Logger& log;
};

void add_audit_routes(Router& router, AuditDeps deps);

}  // namespace sg::http::api
