// The development identity endpoint: only under `serve --dev`, POST /dev/token (mint a development
// token for any subject, from loopback only).
//
// Borrowed services must outlive the router. `dev` is null outside development mode, and then
// /dev/token is not routed at all (404). Thread-safe.
#pragma once

#include <memory>

#include "common/clock.hpp"
#include "common/logger.hpp"
#include "http/router.hpp"
#include "identity/authenticator.hpp"
#include "identity/dev_issuer.hpp"

namespace sg::http::api {

struct IdentityDeps {
  identity::Authenticator& auth;
  std::shared_ptr<const identity::DevIssuer> dev;  // null unless `serve --dev`
  const Clock& clock;
  Logger& log;
};

void add_identity_routes(Router& router, IdentityDeps deps);

}  // namespace sg::http::api
