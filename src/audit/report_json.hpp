// report_json gives a verification report (audit/verify.hpp) the JSON form that
// `stackgate audit verify --json` prints and GET /v1/audit/verify answers with:
//
//   {"ok": true, "events": 12, "checkpoints": 2, "signed_seq": 10,
//    "head": {"seq": 12, "hash": "<64 hex>"}}
//
// and, when a fault was found, "fault" (fault_name: "modified", "missing"…), "seq" (the first bad
// seq) and "reason" (one plain sentence) after "ok"; they are omitted when the log is intact.
// `events`, `checkpoints`, `signed_seq` and `head` describe what verified before the fault.
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "audit/verify.hpp"

namespace sg::audit {

boost::json::object report_to_json(const VerifyReport& report);

}  // namespace sg::audit
