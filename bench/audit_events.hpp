// The events the audit benchmarks write: realistic authz.decision events of ~800 bytes stored
// (actor with name and email, a stack, a three-sentence reason, request id, address and user agent,
// roles), varied by `i` so the filter columns hold 500 subjects and 400 stacks. Not sealed and
// without a time. Bench-only; plain functions.
#pragma once

#include <cstddef>
#include <string>

#include <boost/json/array.hpp>

#include "audit/event.hpp"

namespace sg::bench {

inline audit::AuditEvent audit_decision(std::size_t i) {
  audit::AuditEvent e;
  e.type = "authz.decision";
  std::string who = "user:default/developer-" + std::to_string(i % 500);
  e.actor = audit::AuditActor{who,
                              "corp-sso",
                              "user",
                              "Developer " + std::to_string(i % 500),
                              "developer-" + std::to_string(i % 500) + "@example.com",
                              {}};
  std::string stack = "acme/service-" + std::to_string(i % 200) + (i % 3 == 0 ? "/prod" : "/dev");
  e.resource = audit::AuditResource{stack};
  e.action = i % 4 == 0 ? "preview" : "update";
  e.decision = i % 3 == 0 ? "approval_required" : "allow";
  e.reason =
      "binding 1 (policy.yaml:25) gives [reader]; binding 2 (policy.yaml:26) gives "
      "[developer]; role developer, rule 1 (policy.yaml:9) allows update on " +
      stack;
  e.request = audit::AuditRequest{"req-" + std::to_string(i) + "-7d022e21480733c158f79b4e",
                                  "10.20." + std::to_string(i % 250) + ".17",
                                  "backstage-plugin-stackgate/1.4.0 node/20.11"};
  e.details = {{"roles", boost::json::array{"reader", "developer"}}};
  return e;
}

}  // namespace sg::bench
