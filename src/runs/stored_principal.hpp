// How a run keeps its requester: the principal as the policy saw it when the run was asked for,
// serialised into the run's `principal` column, so approvals, the start-time re-check and the audit
// events of a run evaluate and name the same person long after their token expired.
//
// The JSON is policy::principal_to_json plus the verified `claims` (of the subject and of its
// acting agent), which `claim.*` conditions read. Reading it back is strict and bounded
// (principal_from_json). Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "policy/principal.hpp"
#include "store/run_record.hpp"

namespace sg::runs {

boost::json::object stored_principal(const policy::Principal& who);

// The requester of `run`. Errors: kInternal (the column cannot be read back; never expected).
Result<policy::Principal> requester_of(const store::RunRecord& run);

// Whether `a` and `b` are the same identity: the same subject from the same issuer. What grants a
// requester the right to read and cancel their own run.
bool same_subject(const policy::Principal& a, const policy::Principal& b);

// Whether `a` and `b` may be the same person: the same subject from the same issuer, or the same
// e-mail address (compared without case) when both have one — one person signing in through two
// issuers is still the requester. Used only to refuse (self-approval), never to grant.
bool same_person(const policy::Principal& a, const policy::Principal& b);

}  // namespace sg::runs
