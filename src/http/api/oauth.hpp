// The gateway as an OAuth/OIDC issuer:
//
//   GET  /.well-known/openid-configuration   discovery (OpenID Connect Discovery 1.0)
//   GET  /.well-known/oauth-authorization-server   the same document (RFC 8414)
//   GET  /.well-known/jwks.json               the public token keys, retired ones until their
//                                             tokens have expired
//   POST /oauth/token       RFC 8693 token exchange (form-encoded); tokens/exchange.hpp
//   POST /oauth/revoke      RFC 7009: a token presented is revoked (possession is authority);
//                           a caller with the global `admin` action may revoke by jti
//   POST /oauth/introspect  RFC 7662, for callers with the global `admin` action; anything not
//                           an active stackgate token is {"active": false}
//
// Errors at /oauth are RFC 6749 §5.2 bodies (http/error_status.hpp oauth_error_response), every
// answer carries Cache-Control: no-store. Issued and revoked tokens are audit events (by jti)
// made durable before the answer; a refused subject or actor token is an auth.failed event.
// Borrowed services must outlive the router. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "catalog/stack_registry.hpp"
#include "common/clock.hpp"
#include "common/logger.hpp"
#include "http/router.hpp"
#include "identity/authenticator.hpp"
#include "keys/key_ring.hpp"
#include "policy/policy_holder.hpp"
#include "tokens/minter.hpp"
#include "tokens/revocation_list.hpp"
#include "tokens/self_issuer.hpp"

namespace sg::http::api {

struct OAuthDeps {
  identity::Authenticator& auth;
  policy::PolicyHolder& policy;
  catalog::StackRegistry& stacks;
  keys::KeyRing& keys;
  tokens::Minter& minter;
  tokens::SelfIssuer& self;
  tokens::RevocationList& revoked;
  std::vector<std::string> audiences;  // allowed besides the gateway itself
  const Clock& clock;
  Logger& log;
};

void add_oauth_routes(Router& router, OAuthDeps deps);

}  // namespace sg::http::api
