// The audit events of the run lifecycle: run.created, run.approved, run.rejected, run.cancelled,
// run.started, run.finished and run.orphaned.
//
// Each names the run (`run_id`) and its stack (`resource`), and its actor is the person who made
// the change: the requester for created, started, finished and orphaned; the approver, rejecter or
// canceller for the others (a request that lapsed has no actor). `action` is the policy action the
// run exercises (`update` for up) or `approve`/`cancel`. details hold the operation and, where it
// applies, the requester's message (bounded), approvals so far, the final status, exit code and the
// run summary's counts — integers and strings only. Never a credential. Pure functions;
// thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "audit/event.hpp"
#include "policy/principal.hpp"
#include "runs/approval_state.hpp"
#include "runs/run_status.hpp"
#include "store/run_record.hpp"

namespace sg::runs {

// `decision`: "allow" or "approval_required".
audit::AuditEvent created_event(const store::RunRecord& run, const policy::Principal& requester,
                                std::string_view decision, const audit::AuditRequest& request);
audit::AuditEvent approved_event(const store::RunRecord& run, const policy::Principal& approver,
                                 const ApprovalState& state, const audit::AuditRequest& request);
// `by` is null for a request that lapsed.
audit::AuditEvent rejected_event(const store::RunRecord& run, const policy::Principal* by,
                                 std::string_view reason,
                                 const std::optional<audit::AuditRequest>& request);
audit::AuditEvent cancelled_event(const store::RunRecord& run, const policy::Principal& by,
                                  std::string_view status_before,
                                  const audit::AuditRequest& request);
audit::AuditEvent started_event(const store::RunRecord& run, const policy::Principal& requester);
// `run` as it ended: status, exit_code, reason and summary are read from it.
audit::AuditEvent finished_event(const store::RunRecord& run, const policy::Principal& requester);
audit::AuditEvent orphaned_event(const store::RunRecord& run, const policy::Principal& requester);

// The summary fields an audit event carries: result, is_preview, resource_changes, failed_steps,
// duration_ms, diagnostics, events (integers and strings only).
boost::json::object audit_summary(const boost::json::object& summary);

}  // namespace sg::runs
