#include "runs/run_audit.hpp"

#include <cmath>
#include <string>

#include <boost/json/parse.hpp>

#include "tokens/token_events.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxMessageBytes = 512;

std::string action_text(const store::RunRecord& run) {
  auto op = parse_operation(run.operation);
  return op ? std::string(policy::action_name(action_of(*op))) : run.operation;
}

audit::AuditEvent base(std::string_view type, const store::RunRecord& run,
                       const policy::Principal* actor) {
  audit::AuditEvent e;
  e.type = std::string(type);
  if (actor != nullptr) e.actor = tokens::audit_actor(*actor);
  e.resource = audit::AuditResource{run.stack};
  e.action = action_text(run);
  e.run_id = run.id;
  e.details = {{"operation", run.operation}};
  return e;
}

}  // namespace

audit::AuditEvent created_event(const store::RunRecord& run, const policy::Principal& requester,
                                std::string_view decision, const audit::AuditRequest& request) {
  audit::AuditEvent e = base(audit::event_type::kRunCreated, run, &requester);
  e.decision = std::string(decision);
  e.request = request;
  if (!run.message.empty()) e.details["message"] = audit::clean_text(run.message, kMaxMessageBytes);
  return e;
}

audit::AuditEvent approved_event(const store::RunRecord& run, const policy::Principal& approver,
                                 const ApprovalState& state, const audit::AuditRequest& request) {
  audit::AuditEvent e = base(audit::event_type::kRunApproved, run, &approver);
  e.action = "approve";
  e.decision = "allow";
  e.request = request;
  e.details["approvals"] = static_cast<std::int64_t>(state.approvals.size());
  e.details["remaining"] = static_cast<std::int64_t>(state.remaining());
  return e;
}

audit::AuditEvent rejected_event(const store::RunRecord& run, const policy::Principal* by,
                                 std::string_view reason,
                                 const std::optional<audit::AuditRequest>& request) {
  audit::AuditEvent e = base(audit::event_type::kRunRejected, run, by);
  e.action = "approve";
  e.decision = "deny";
  e.reason = audit::clean_text(reason, kMaxMessageBytes);
  if (request) e.request = *request;
  return e;
}

audit::AuditEvent cancelled_event(const store::RunRecord& run, const policy::Principal& by,
                                  std::string_view status_before,
                                  const audit::AuditRequest& request) {
  audit::AuditEvent e = base(audit::event_type::kRunCancelled, run, &by);
  e.action = "cancel";
  e.decision = "allow";
  e.request = request;
  e.details["status_before"] = std::string(status_before);
  return e;
}

audit::AuditEvent started_event(const store::RunRecord& run, const policy::Principal& requester) {
  return base(audit::event_type::kRunStarted, run, &requester);
}

audit::AuditEvent finished_event(const store::RunRecord& run, const policy::Principal& requester) {
  audit::AuditEvent e = base(audit::event_type::kRunFinished, run, &requester);
  e.details["status"] = run.status;
  if (run.exit_code) e.details["exit_code"] = *run.exit_code;
  if (!run.reason.empty()) e.reason = audit::clean_text(run.reason, kMaxMessageBytes);
  if (!run.summary.empty()) {
    boost::system::error_code ec;
    json::value summary = json::parse(run.summary, ec);
    if (!ec && summary.is_object()) e.details["summary"] = audit_summary(summary.get_object());
  }
  return e;
}

audit::AuditEvent orphaned_event(const store::RunRecord& run, const policy::Principal& requester) {
  audit::AuditEvent e = base(audit::event_type::kRunOrphaned, run, &requester);
  if (!run.reason.empty()) e.reason = audit::clean_text(run.reason, kMaxMessageBytes);
  return e;
}

json::object audit_summary(const json::object& summary) {
  json::object out;
  auto copy_if = [&](std::string_view key, auto accept) {
    if (const json::value* v = summary.if_contains(key); v != nullptr && accept(*v)) {
      out[key] = *v;
    }
  };
  copy_if("result", [](const json::value& v) { return v.is_string(); });
  copy_if("is_preview", [](const json::value& v) { return v.is_bool(); });
  copy_if("failed_steps", [](const json::value& v) { return v.is_int64(); });
  copy_if("events", [](const json::value& v) { return v.is_int64(); });
  auto int_members = [](const json::value& v) {
    if (!v.is_object()) return false;
    for (const auto& m : v.get_object()) {
      if (!m.value().is_int64()) return false;
    }
    return true;
  };
  copy_if("resource_changes", int_members);
  copy_if("diagnostics", int_members);
  if (const json::value* d = summary.if_contains("duration_seconds"); d != nullptr) {
    if (d->is_double() && std::isfinite(d->get_double()) && d->get_double() >= 0 &&
        d->get_double() < 1e9) {
      out["duration_ms"] = static_cast<std::int64_t>(std::llround(d->get_double() * 1000));
    } else if (d->is_int64() && d->get_int64() >= 0 && d->get_int64() < 1'000'000'000) {
      out["duration_ms"] = d->get_int64() * 1000;
    }
  }
  return out;
}

}  // namespace sg::runs
