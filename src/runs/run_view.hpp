// The JSON form of a run that the HTTP API returns (POST …/runs, GET /v1/runs, GET /v1/runs/{id}).
//
// {"id","stack","operation","status","message","requester":{"subject","issuer","kind","name",
//  "email","act"},"created_at","updated_at","started_at","finished_at","expires_at",
//  "approval":{"needs":[…],"approvals":[…]},"cancel_requested_by","exit_code","reason",
//  "summary":{…},"events_url"}. Times not reached yet, and values that do not apply, are null.
// The requester shows who asked, not their claims or groups. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "store/run_record.hpp"

namespace sg::runs {

boost::json::object run_json(const store::RunRecord& run);

}  // namespace sg::runs
