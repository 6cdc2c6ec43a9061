// Principal is who is asking: the verified identity the policy evaluates, filled by identity/ from
// a token (or by tests and `stackgate policy eval` from JSON).
//
// Every field comes from a token that passed every check of jose-rules.md; nothing here is trusted
// before that. `claims` holds the whole verified claims set so policy conditions can reach any
// `claim.<path>`. `act` names the agent acting for the subject (RFC 8693), outermost first.
// `scope`, when set, narrows whatever the policy grants (policy/scope.hpp). `actor`, set for a
// delegated stackgate token, is the current acting agent: its own permissions bound every decision
// too (RFC 8693 §4.1: only the current actor counts; earlier ones are in `act` for the record and
// never evaluated, so an actor never has an actor of its own). Plain value type; not synchronised
// (copy it across threads).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "policy/scope.hpp"

namespace sg::policy {

enum class PrincipalKind { kUser, kMachine };

struct Principal {
  std::string subject;  // `sub`, e.g. "user:default/jane.doe" or a CI client id
  std::string issuer;   // the configured issuer's *name*, e.g. "corp-sso"
  PrincipalKind kind = PrincipalKind::kUser;
  std::string email;
  std::string name;
  std::string team;
  std::vector<std::string> groups;
  std::vector<std::string> ownership;  // entity refs: "user:default/jane", "group:default/payments"
  std::vector<std::string> act;        // acting agents' subjects, outermost first; empty if none
  std::string token_id;                // `jti` when present
  std::int64_t expires_at = 0;         // `exp`, seconds since the epoch
  boost::json::object claims;          // every verified claim
  std::optional<Scope> scope;          // a stackgate token's `scope`; nothing: not narrowed
  std::shared_ptr<const Principal> actor;  // the current acting agent; null when none
};

}  // namespace sg::policy
