// RunClaims is what a run token says about the Pulumi run it was minted for. runs/ mints one run
// token per credential provider and run: for Pulumi Cloud's OIDC token exchange, and for the
// clouds' web-identity federation (AWS, Google Cloud, Azure).
//
// A run token's `sub` names the stack and the operation, "stack:<org>/<project>/<stack>:operation:
// <op>", and neither the run nor the person: trust policies must be able to match it exactly
// (Azure federated credentials compare `sub` byte for byte, without wildcards; AWS trust policies
// are safest with StringEquals), so one rule per stack and operation suffices, e.g. a read-only
// role for `…:operation:preview`. The run and the person who asked for it are claims beside it:
// `run_id`, `stack` ("org/project/stack"), `operation`, and `requester` (the person's `sub`),
// `requester_idp`, `requester_kind`, `requester_email` and `requester_name` where known, and
// `requester_act` (the agents acting for the person, current first) when delegated. Nothing else
// of the person is carried: the gateway's policy already decided the run, and a cloud should trust
// the stack, not the person's groups. Pure functions; thread-safe.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "policy/principal.hpp"

namespace sg::tokens {

// Each part: 1 to kMaxRunPartBytes characters of [A-Za-z0-9._-] (what configuration allows for
// org, project and stack names), so the subject splits unambiguously at ':' and '/'.
inline constexpr std::size_t kMaxRunPartBytes = 100;

struct RunClaims {
  std::string org;
  std::string project;
  std::string stack;
  std::string operation;  // preview | up | refresh | destroy
  std::string run_id;
};

// Errors: kInvalidArgument naming the part that is empty, too long or has another character.
Status check_run_claims(const RunClaims& run);

// "stack:acme/payments/dev:operation:up".
std::string run_subject(const RunClaims& run);

// Sets `sub` and adds the run's and the requester's claims to `out`.
void put_run_claims(const RunClaims& run, const policy::Principal& requester,
                    boost::json::object& out);

}  // namespace sg::tokens
