// The JSON shape of a Principal in API responses (whoami, authorize, runs):
// {"subject","issuer","kind","email","name","team","groups":[…],"ownership":[…],"act":[…],
//  "expires_at"}. The raw claims are not included: callers see what the gateway derived.
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "policy/principal.hpp"

namespace sg::http::api {

boost::json::object principal_json(const policy::Principal& p);

}  // namespace sg::http::api
