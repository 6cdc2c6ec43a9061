// RunService: the requests (create, read, approve, reject, cancel). The dispatcher, the workers
// and start-up recovery are in run_dispatcher.cpp.
#include "runs/run_service.hpp"

#include <algorithm>
#include <future>

#include <boost/json/serialize.hpp>

#include "common/ids.hpp"
#include "common/json_text.hpp"
#include "runs/approval_state.hpp"
#include "runs/run_audit.hpp"
#include "runs/stored_principal.hpp"
#include "tokens/token_events.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxMessageBytes = 1024;
constexpr std::size_t kMaxReasonBytes = 512;

// A message or reason a person typed: bounded, valid UTF-8, no control characters but newlines
// and tabs.
Status check_text(std::string_view field, std::string_view text, std::size_t max) {
  if (text.size() > max) {
    return Error{Errc::kInvalidArgument,
                 std::string(field) + ": at most " + std::to_string(max) + " bytes"};
  }
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) return Error{Errc::kInvalidArgument, std::string(field) + ": not valid UTF-8"};
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 1 && (c < 0x20 || c == 0x7F) && c != '\n' && c != '\t') {
      return Error{Errc::kInvalidArgument,
                   std::string(field) + ": control characters are not allowed"};
    }
    i += n;
  }
  return {};
}

std::string last_reason(const policy::Decision& d) {
  return d.reasons.empty() ? std::string("no rule allows it") : d.reasons.back();
}

const Error& audit_unavailable() {
  static const Error e{Errc::kUnavailable,
                       "the audit log cannot record this request now; nothing was done"};
  return e;
}

}  // namespace

RunService::RunService(RunServiceOptions options, store::Store& store, audit::AuditWriter& audit,
                       policy::PolicyHolder& policy, catalog::StackRegistry& stacks,
                       const Clock& clock, Logger& log, RunExecutionFactory executions,
                       CredentialSource credentials)
    : options_(std::move(options)),
      store_(store),
      audit_(audit),
      policy_(policy),
      stacks_(stacks),
      clock_(clock),
      log_(log),
      executions_(std::move(executions)),
      credentials_(std::move(credentials)) {}

RunService::~RunService() {
  stop(std::chrono::seconds(0));
}

Status RunService::record(std::vector<audit::AuditEvent> events) {
  if (events.empty()) return {};
  auto done = std::make_shared<std::promise<Status>>();
  std::future<Status> result = done->get_future();
  audit_.submit(std::move(events), [done](const Status& s) { done->set_value(s); });
  return result.get();
}

Result<store::RunRecord> RunService::modify(std::string_view id, std::string_view expected,
                                            const std::function<void(store::RunRecord&)>& change) {
  std::lock_guard lock(write_mu_);
  auto found = store_.get_run(id);
  if (!found) return found.error();
  if (!*found) return Error{Errc::kNotFound, "no run " + std::string(id)};
  store::RunRecord run = std::move(**found);
  if (run.status != expected) {
    return Error{Errc::kConflict,
                 "run " + run.id + " is " + run.status + ", not " + std::string(expected)};
  }
  change(run);
  if (Status s = store_.update_run(run, expected); !s) return s.error();
  return run;
}

Result<policy::Stack> RunService::stack_of(std::string_view ref) const {
  auto parsed = policy::parse_stack_ref(ref);
  if (!parsed) return parsed.error();
  const policy::Stack* known = stacks_.snapshot()->find(ref);
  return known != nullptr ? *known : policy::Stack::named(*parsed);
}

const config::ProjectConfig* RunService::project_of(std::string_view stack) const {
  auto ref = policy::parse_stack_ref(stack);
  if (!ref) return nullptr;
  for (const config::ProjectConfig& p : options_.projects) {
    if (p.org != ref->org || p.name != ref->project) continue;
    for (const config::StackConfig& s : p.stacks) {
      if (s.name == ref->name) return &p;
    }
  }
  return nullptr;
}

Result<RunChange> RunService::create(const RunCaller& caller, std::string_view stack,
                                     std::string_view operation, std::string_view message) {
  auto op = parse_operation(operation);
  if (!op) {
    return Error{Errc::kInvalidArgument, "operation: expected preview, up, refresh or destroy"};
  }
  if (Status ok = check_text("message", message, kMaxMessageBytes); !ok) return ok.error();
  auto ref = policy::parse_stack_ref(stack);
  if (!ref) return Error{Errc::kInvalidArgument, "stack: " + ref.error().message};
  const std::string target = ref->to_string();
  const policy::Principal& who = caller.who;
  auto policy = policy_.current();
  auto stacks = stacks_.snapshot();
  const policy::Stack* known = stacks->find(target);
  const config::ProjectConfig* project = project_of(target);
  if (known == nullptr || project == nullptr) {
    // Only a caller who could read such a stack learns that it does not exist (or cannot run).
    policy::Stack bare = known != nullptr ? *known : policy::Stack::named(*ref);
    policy::Decision read = policy::evaluate(*policy, who, policy::Action::kRead, bare);
    if (read.verdict != policy::Verdict::kAllow) {
      return Error{Errc::kForbidden, "you may not " + std::string(operation) + " " + target};
    }
    return Error{Errc::kNotFound, known == nullptr
                                      ? "no stack " + target
                                      : "stack " + target + " has no Pulumi project configured"};
  }
  const policy::Action action = action_of(*op);
  policy::Decision decision = policy::evaluate(*policy, who, action, *known);
  if (decision.verdict == policy::Verdict::kDeny) {
    audit::AuditEvent denied;
    denied.type = std::string(audit::event_type::kAuthzDecision);
    denied.actor = tokens::audit_actor(who);
    denied.resource = audit::AuditResource{target};
    denied.action = std::string(policy::action_name(action));
    denied.decision = "deny";
    denied.reason = audit::clean_text(last_reason(decision), kMaxReasonBytes);
    denied.request = caller.request;
    audit_.record(std::move(denied));
    return Error{Errc::kForbidden, "you may not " + std::string(policy::action_name(action)) + " " +
                                       target + ": " + last_reason(decision)};
  }

  const std::string now = format_rfc3339(clock_.now());
  store::RunRecord run;
  run.id = new_id();
  run.stack = target;
  run.operation = std::string(operation_name(*op));
  run.message = std::string(message);
  run.requester = who.subject;
  run.principal = json::serialize(stored_principal(who));
  run.created_at = now;
  run.updated_at = now;
  const bool needs_approval = decision.verdict == policy::Verdict::kApprovalRequired;
  if (needs_approval) {
    ApprovalState state;
    state.needs = decision.approvals;
    run.approval = json::serialize(state.to_json());
    run.status = std::string(status_name(RunStatus::kAwaitingApproval));
    run.expires_at = format_rfc3339(clock_.now() + options_.approval_timeout);
  } else {
    run.status = std::string(status_name(RunStatus::kQueued));
  }
  // The record comes first: a run nobody can account for never exists.
  if (!record({created_event(run, who, needs_approval ? "approval_required" : "allow",
                             caller.request)})) {
    return audit_unavailable();
  }
  auto created = store_.create_run(run);
  if (!created) return created.error();
  log_.info("run created", {{"run_id", created->id},
                            {"stack", created->stack},
                            {"operation", created->operation},
                            {"status", created->status},
                            {"subject", who.subject}});
  if (!needs_approval) poke();
  return RunChange{std::move(*created), false};
}

Result<store::RunRecord> RunService::load_visible(const policy::Principal& who, std::string_view id,
                                                  policy::Action action) {
  auto found = store_.get_run(id);
  if (!found) return found.error();
  if (!*found) return Error{Errc::kNotFound, "no run " + std::string(id)};
  store::RunRecord& run = **found;
  auto requester = requester_of(run);
  if (requester && same_subject(*requester, who)) return std::move(run);
  auto policy = policy_.current();
  auto target = stack_of(run.stack);
  if (!target) return Error{Errc::kNotFound, "no run " + std::string(id)};
  if (policy::evaluate(*policy, who, action, *target).verdict != policy::Verdict::kAllow) {
    return Error{Errc::kNotFound, "no run " + std::string(id)};
  }
  return std::move(run);
}

Result<store::RunRecord> RunService::get(const policy::Principal& who, std::string_view id) {
  return load_visible(who, id, policy::Action::kRead);
}

Result<std::pair<std::vector<store::RunRecord>, std::int64_t>> RunService::list(
    const policy::Principal& who, const RunFilter& filter) {
  if (filter.limit == 0 || filter.limit > store::kMaxRunPage) {
    return Error{Errc::kInvalidArgument, "limit: from 1 to " + std::to_string(store::kMaxRunPage)};
  }
  store::RunQuery q;
  q.stack = filter.stack;
  q.statuses = filter.statuses;
  q.requester = filter.requester;
  q.before_seq = filter.before_seq;
  q.limit = filter.limit;
  auto rows = store_.list_runs(q);
  if (!rows) return rows.error();
  std::int64_t next = rows->size() == filter.limit ? rows->back().queue_seq : 0;
  auto policy = policy_.current();
  policy::RoleSet roles = policy::roles_of(*policy, who);
  std::vector<store::RunRecord> visible;
  for (store::RunRecord& run : *rows) {
    bool mine = run.requester == who.subject;
    if (mine) {
      auto requester = requester_of(run);
      mine = requester && same_subject(*requester, who);
    }
    if (!mine) {
      auto target = stack_of(run.stack);
      if (!target) continue;
      if (policy::verdict_of(*policy, who, roles, policy::Action::kRead, *target) !=
          policy::Verdict::kAllow) {
        continue;
      }
    }
    visible.push_back(std::move(run));
  }
  return std::pair{std::move(visible), next};
}

Result<RunChange> RunService::approve(const RunCaller& caller, std::string_view id) {
  const policy::Principal& who = caller.who;
  auto loaded = load_visible(who, id, policy::Action::kRead);
  if (!loaded) return loaded.error();
  store::RunRecord run = std::move(*loaded);
  if (run.status != status_name(RunStatus::kAwaitingApproval)) {
    return Error{Errc::kConflict, "run " + run.id + " is " + run.status +
                                      "; only a run awaiting approval can be approved"};
  }
  auto requester = requester_of(run);
  if (!requester) return requester.error();
  if (same_person(*requester, who)) {
    return Error{Errc::kForbidden, "a requester cannot approve their own run"};
  }
  auto policy = policy_.current();
  auto target = stack_of(run.stack);
  if (!target) return target.error();
  policy::Decision may = policy::evaluate(*policy, who, policy::Action::kApprove, *target);
  if (may.verdict != policy::Verdict::kAllow) {
    return Error{Errc::kForbidden,
                 "you may not approve runs on " + run.stack + ": " + last_reason(may)};
  }
  auto state = ApprovalState::from_json(run.approval);
  if (!state) return state.error();
  std::vector<std::string> roles = state->qualifying_roles(may.roles);
  if (roles.empty()) {
    std::vector<std::string> wanted;
    for (const policy::ApprovalNeed& n : state->needs) {
      for (const std::string& r : n.approvers) {
        if (std::find(wanted.begin(), wanted.end(), r) == wanted.end()) wanted.push_back(r);
      }
    }
    std::string list;
    for (const std::string& r : wanted)
      list += (list.empty() ? "" : ", ") + r;
    return Error{Errc::kForbidden, "approving this run needs one of the roles: " + list};
  }
  if (state->approved_by(who.subject, who.issuer)) {
    return Error{Errc::kConflict, "you have approved this run already"};
  }
  const Time now = clock_.now();
  state->approvals.push_back(Approval{who.subject, who.issuer, roles, format_rfc3339(now)});
  const bool enough = state->satisfied();
  store::RunRecord updated = run;
  updated.approval = json::serialize(state->to_json());
  updated.updated_at = format_rfc3339(now);
  if (enough) {
    updated.status = std::string(status_name(RunStatus::kQueued));
    updated.expires_at.clear();
  }
  if (!record({approved_event(updated, who, *state, caller.request)})) return audit_unavailable();
  if (Status s = store_.update_run(updated, run.status); !s) return s.error();
  if (enough) poke();
  return RunChange{std::move(updated), false};
}

Result<RunChange> RunService::reject(const RunCaller& caller, std::string_view id,
                                     std::string_view reason) {
  const policy::Principal& who = caller.who;
  if (Status ok = check_text("reason", reason, kMaxReasonBytes); !ok) return ok.error();
  auto loaded = load_visible(who, id, policy::Action::kRead);
  if (!loaded) return loaded.error();
  store::RunRecord run = std::move(*loaded);
  if (run.status != status_name(RunStatus::kAwaitingApproval)) {
    return Error{Errc::kConflict, "run " + run.id + " is " + run.status +
                                      "; only a run awaiting approval can be rejected"};
  }
  auto requester = requester_of(run);
  if (!requester) return requester.error();
  if (same_person(*requester, who)) {
    return Error{Errc::kForbidden, "a requester cannot reject their own run; cancel it instead"};
  }
  auto policy = policy_.current();
  auto target = stack_of(run.stack);
  if (!target) return target.error();
  policy::Decision may = policy::evaluate(*policy, who, policy::Action::kApprove, *target);
  auto state = ApprovalState::from_json(run.approval);
  if (!state) return state.error();
  if (may.verdict != policy::Verdict::kAllow || state->qualifying_roles(may.roles).empty()) {
    return Error{Errc::kForbidden, "only an approver of this run may reject it"};
  }
  const Time now = clock_.now();
  store::RunRecord updated = run;
  updated.status = std::string(status_name(RunStatus::kRejected));
  updated.updated_at = format_rfc3339(now);
  updated.finished_at = updated.updated_at;
  updated.expires_at.clear();
  updated.reason =
      "rejected by " + who.subject + (reason.empty() ? "" : ": " + std::string(reason));
  if (!record({rejected_event(updated, &who, updated.reason, caller.request)})) {
    return audit_unavailable();
  }
  if (Status s = store_.update_run(updated, run.status); !s) return s.error();
  feed_.close(updated.id);
  return RunChange{std::move(updated), false};
}

Result<RunChange> RunService::cancel(const RunCaller& caller, std::string_view id) {
  const policy::Principal& who = caller.who;
  auto loaded = load_visible(who, id, policy::Action::kRead);
  if (!loaded) return loaded.error();
  store::RunRecord run = std::move(*loaded);
  auto requester = requester_of(run);
  if (!requester) return requester.error();
  if (!same_subject(*requester, who)) {
    auto policy = policy_.current();
    auto target = stack_of(run.stack);
    if (!target) return target.error();
    policy::Decision may = policy::evaluate(*policy, who, policy::Action::kCancel, *target);
    if (may.verdict != policy::Verdict::kAllow) {
      return Error{Errc::kForbidden,
                   "you may not cancel runs on " + run.stack + ": " + last_reason(may)};
    }
  }
  // A queued run may start while we decide: try twice, the second time as a running run.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto status = parse_status(run.status);
    if (!status || is_terminal(*status)) {
      return Error{Errc::kConflict, "run " + run.id + " is already " + run.status};
    }
    const std::string now = format_rfc3339(clock_.now());
    store::RunRecord updated = run;
    updated.updated_at = now;
    updated.cancel_requested_by = who.subject;
    if (*status == RunStatus::kRunning) {
      if (!run.cancel_requested_by.empty()) {
        return RunChange{std::move(run), true};  // already asked; the run is stopping
      }
      if (!record({cancelled_event(updated, who, run.status, caller.request)})) {
        return audit_unavailable();
      }
      auto changed = modify(run.id, run.status, [&](store::RunRecord& r) {
        r.updated_at = now;
        r.cancel_requested_by = who.subject;
      });
      if (!changed) {
        if (changed.error().code != Errc::kConflict) return changed.error();
        auto again = store_.get_run(run.id);
        if (!again) return again.error();
        if (!*again) return Error{Errc::kNotFound, "no run " + run.id};
        run = std::move(**again);
        continue;
      }
      {
        std::lock_guard lock(mu_);
        auto it = active_.find(run.id);
        if (it != active_.end()) {
          it->second.cancel_requested = true;
          if (it->second.execution) it->second.execution->cancel();
        }
      }
      return RunChange{std::move(*changed), true};
    }
    updated.status = std::string(status_name(RunStatus::kCancelled));
    updated.finished_at = now;
    updated.expires_at.clear();
    updated.reason = "cancelled by " + who.subject + " before it started";
    if (!record({cancelled_event(updated, who, run.status, caller.request)})) {
      return audit_unavailable();
    }
    Status s = store_.update_run(updated, run.status);
    if (s) {
      feed_.close(updated.id);
      return RunChange{std::move(updated), false};
    }
    if (s.error().code != Errc::kConflict) return s.error();
    auto again = store_.get_run(run.id);
    if (!again) return again.error();
    if (!*again) return Error{Errc::kNotFound, "no run " + run.id};
    run = std::move(**again);
  }
  return Error{Errc::kConflict, "run " + run.id + " changed while it was being cancelled; retry"};
}

Result<std::vector<store::RunEventRecord>> RunService::events(std::string_view id,
                                                              std::int64_t after_seq,
                                                              std::size_t limit) {
  return store_.read_run_events(id, after_seq, limit);
}

Result<RunService::RunState> RunService::status_of(std::string_view id) {
  auto found = store_.get_run(id);
  if (!found) return found.error();
  if (!*found) return Error{Errc::kNotFound, "no run " + std::string(id)};
  auto status = parse_status((*found)->status);
  if (!status) return Error{Errc::kInternal, "run " + std::string(id) + " has an unknown status"};
  return RunState{*status, (*found)->reason, (*found)->exit_code};
}

RunService::Stats RunService::stats() const {
  std::lock_guard lock(mu_);
  return Stats{active_.size(), started_, finished_};
}

void RunService::poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

}  // namespace sg::runs
