// The JSON shape of a Decision, shared by POST /v1/authorize and `stackgate policy eval --json`:
// {"decision":"allow|deny|approval_required","roles":[…],"reasons":[…],
//  "approvals":[{"approvers":[…],"count":n,"rule":"…"}]} (approvals only when approval is
//  required).
// Pure; thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "policy/action.hpp"
#include "policy/evaluator.hpp"

namespace sg::policy {

boost::json::object decision_json(const Decision& d);

// The names of the actions in `s`, as a JSON array.
boost::json::array actions_json(ActionSet s);

}  // namespace sg::policy
