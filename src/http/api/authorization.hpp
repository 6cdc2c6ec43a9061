// The authorization endpoints: what the caller may do, asked three ways.
//
//   GET  /v1/whoami                  the principal, its roles and its effective permissions
//   POST /v1/authorize               {"action","stack"} → the decision, with its reasons
//   GET  /v1/stacks                  the stacks the caller may read (paginated), with its actions
//   GET  /v1/stacks/{org}/{project}/{stack}
//
// Every handler authenticates first (401), then evaluates against the policy in force at that
// moment. A stack the caller may not read is a 403 whether or not it exists, and an unknown stack
// is a 404 only for a caller who could read it if it existed — so nobody learns which stacks exist
// beyond what they may read. Borrowed services must outlive the router. Thread-safe.
#pragma once

#include "catalog/stack_registry.hpp"
#include "common/logger.hpp"
#include "http/router.hpp"
#include "identity/authenticator.hpp"
#include "policy/policy_holder.hpp"

namespace sg::http::api {

struct AuthorizationDeps {
  identity::Authenticator& auth;
  policy::PolicyHolder& policy;
  catalog::StackRegistry& stacks;
  Logger& log;
};

// /v1/whoami and /v1/authorize.
void add_authorization_routes(Router& router, AuthorizationDeps deps);

// /v1/stacks and /v1/stacks/{org}/{project}/{stack}.
void add_stack_routes(Router& router, AuthorizationDeps deps);

}  // namespace sg::http::api
