// RunService: start-up recovery, the dispatcher thread and the workers that run the children.
#include <sys/stat.h>

#include <array>
#include <system_error>

#include <boost/json/serialize.hpp>

#include "runs/dispatch_plan.hpp"
#include "runs/orphan_reaper.hpp"
#include "runs/run_audit.hpp"
#include "runs/run_service.hpp"
#include "runs/stored_principal.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;

std::string name_of(RunStatus s) {
  return std::string(status_name(s));
}

// A requester that cannot be read back still gets named in the audit trail.
policy::Principal fallback_requester(const store::RunRecord& run) {
  policy::Principal p;
  p.subject = run.requester;
  p.issuer = "unknown";
  return p;
}

}  // namespace

Result<std::size_t> RunService::recover() {
  const std::array<std::string, 1> running{name_of(RunStatus::kRunning)};
  auto left = store_.runs_with_status(running);
  if (!left) return left.error();
  std::size_t orphaned = 0;
  for (store::RunRecord& run : *left) {
    std::size_t killed = kill_run_processes(run.id);
    store::RunRecord updated = run;
    const std::string now = format_rfc3339(clock_.now());
    updated.status = name_of(RunStatus::kOrphaned);
    updated.updated_at = now;
    updated.finished_at = now;
    updated.pid = 0;
    updated.reason = "the gateway stopped while the run was in flight";
    if (killed > 0) {
      updated.reason += "; " + std::to_string(killed) + " leftover process" +
                        (killed == 1 ? " was" : "es were") + " killed";
    }
    auto requester = requester_of(run);
    policy::Principal who = requester ? *requester : fallback_requester(run);
    if (Status s = record({orphaned_event(updated, who)}); !s) return s.error();
    if (Status s = store_.update_run(updated, run.status); !s) {
      if (s.error().code == Errc::kConflict) continue;  // someone else settled it
      return s.error();
    }
    log_.warn(
        "run orphaned",
        {{"run_id", run.id}, {"stack", run.stack}, {"killed", static_cast<std::int64_t>(killed)}});
    ++orphaned;
  }
  return orphaned;
}

Status RunService::start() {
  std::error_code ec;
  std::filesystem::create_directories(options_.runs_dir, ec);
  if (ec) {
    return Error{Errc::kIo, "runs directory " + options_.runs_dir.string() + ": " + ec.message()};
  }
  std::filesystem::permissions(options_.runs_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  if (ec) {
    return Error{Errc::kIo, "runs directory " + options_.runs_dir.string() + ": " + ec.message()};
  }
  // Folders a dead gateway's runs left behind (their credential files included) go now; a folder
  // of a run another gateway is running on this store stays.
  for (const auto& entry : std::filesystem::directory_iterator(options_.runs_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 32 || name.find_first_not_of("0123456789abcdef") != std::string::npos)
      continue;
    auto run = store_.get_run(name);
    if (!run || (*run && (*run)->status == name_of(RunStatus::kRunning))) continue;
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
  std::lock_guard lock(mu_);
  if (dispatcher_.joinable()) return {};
  stopping_ = false;
  dispatcher_ = std::thread([this] { dispatch_loop(); });
  return {};
}

void RunService::stop(Duration grace) {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, active] : active_) {
      active.cancel_requested = true;
      if (active.execution) active.execution->cancel();
    }
  }
  cv_.notify_all();
  (void)grace;  // the executions bound their own stop by cancel_grace
  if (dispatcher_.joinable()) dispatcher_.join();
  std::map<std::string, Active, std::less<>> left;
  {
    std::lock_guard lock(mu_);
    left.swap(active_);
  }
  for (auto& [id, active] : left) {
    if (active.thread.joinable()) active.thread.join();
  }
}

void RunService::dispatch_loop() {
  for (;;) {
    std::vector<std::thread> ended;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.dispatch_interval, [this] { return stopping_ || poked_; });
      if (stopping_) return;
      poked_ = false;
      for (auto it = active_.begin(); it != active_.end();) {
        if (it->second.done) {
          ended.push_back(std::move(it->second.thread));
          it = active_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (std::thread& t : ended)
      t.join();
    expire_approvals();
    dispatch_once();
  }
}

void RunService::expire_approvals() {
  const std::array<std::string, 1> waiting{name_of(RunStatus::kAwaitingApproval)};
  auto runs = store_.runs_with_status(waiting);
  if (!runs) {
    log_.error("runs: cannot read the runs awaiting approval", {{"error", runs.error().message}});
    return;
  }
  const std::string now = format_rfc3339(clock_.now());
  for (store::RunRecord& run : *runs) {
    if (run.expires_at.empty() || run.expires_at > now) continue;
    store::RunRecord updated = run;
    updated.status = name_of(RunStatus::kRejected);
    updated.updated_at = now;
    updated.finished_at = now;
    updated.expires_at.clear();
    updated.reason = "the approval request expired";
    if (!record({rejected_event(updated, nullptr, updated.reason, std::nullopt)})) continue;
    if (Status s = store_.update_run(updated, run.status); !s) continue;
    feed_.close(updated.id);
    log_.info("run approval expired", {{"run_id", run.id}, {"stack", run.stack}});
  }
}

void RunService::dispatch_once() {
  const std::array<std::string, 1> queued_status{name_of(RunStatus::kQueued)};
  const std::array<std::string, 1> running_status{name_of(RunStatus::kRunning)};
  auto queued = store_.runs_with_status(queued_status);
  auto running = store_.runs_with_status(running_status);
  if (!queued || !running) {
    log_.error("runs: cannot read the queue",
               {{"error", (!queued ? queued.error() : running.error()).message}});
    return;
  }
  if (queued->empty()) return;
  auto plan = [](const store::RunRecord& r) {
    auto op = parse_operation(r.operation);
    return PlannedRun{r.stack, !op || is_mutating(*op)};
  };
  std::vector<PlannedRun> q;
  std::vector<PlannedRun> r;
  for (const store::RunRecord& run : *queued)
    q.push_back(plan(run));
  for (const store::RunRecord& run : *running)
    r.push_back(plan(run));
  for (std::size_t i : runs_to_start(q, r, options_.max_concurrent_runs)) {
    store::RunRecord run = (*queued)[i];
    const std::string now = format_rfc3339(clock_.now());
    run.status = name_of(RunStatus::kRunning);
    run.started_at = now;
    run.updated_at = now;
    if (Status s = store_.update_run(run, name_of(RunStatus::kQueued)); !s) {
      if (s.error().code != Errc::kConflict) {
        log_.error("runs: cannot start a run", {{"run_id", run.id}, {"error", s.error().message}});
      }
      continue;  // cancelled meanwhile, or started by another gateway
    }
    std::lock_guard lock(mu_);
    if (stopping_) {
      // Put it back: the next start continues the queue.
      run.status = name_of(RunStatus::kQueued);
      run.started_at.clear();
      (void)store_.update_run(run, name_of(RunStatus::kRunning));
      return;
    }
    Active& active = active_[run.id];
    ++started_;
    active.thread = std::thread([this, run]() mutable { work(std::move(run)); });
  }
}

void RunService::work(store::RunRecord run) {
  auto requester = requester_of(run);
  policy::Principal who = requester ? *requester : fallback_requester(run);
  auto mark_done = [this, &run] {
    {
      std::lock_guard lock(mu_);
      auto it = active_.find(run.id);
      if (it != active_.end()) it->second.done = true;
      ++finished_;
      poked_ = true;  // a slot and maybe a stack are free: look at the queue now
    }
    cv_.notify_all();
  };
  auto fail = [&](std::string reason) {  // before the child; the run dir is already gone
    log_.warn("run failed before it started", {{"run_id", run.id}, {"reason", reason}});
    finish(run, RunStatus::kFailed, std::move(reason), std::nullopt, {});
    mark_done();
  };
  if (!requester) return fail("the requester of the run cannot be read back");

  // The permission is checked again now: a policy change while the run waited counts.
  auto op = parse_operation(run.operation);
  auto ref = policy::parse_stack_ref(run.stack);
  if (!op || !ref) return fail("the run names an unknown operation or stack");
  {
    auto policy = policy_.current();
    auto target = stack_of(run.stack);
    if (!target) return fail("the run names an unknown operation or stack");
    policy::Decision now = policy::evaluate(*policy, who, action_of(*op), *target);
    if (now.verdict == policy::Verdict::kDeny) {
      return fail("the requester is no longer allowed to " +
                  std::string(policy::action_name(action_of(*op))) + " " + run.stack + ": " +
                  (now.reasons.empty() ? std::string("no rule allows it") : now.reasons.back()));
    }
    if (now.verdict == policy::Verdict::kApprovalRequired && run.approval.empty()) {
      return fail("the policy now requires approval for this run; request it again");
    }
  }
  const config::ProjectConfig* project = project_of(run.stack);
  if (project == nullptr) return fail("no Pulumi project is configured for stack " + run.stack);

  const std::filesystem::path run_dir = options_.runs_dir / run.id;
  if (::mkdir(run_dir.c_str(), 0700) != 0) {
    return fail("the run directory cannot be created: " +
                std::error_code(errno, std::generic_category()).message());
  }
  auto cleanup = [&run_dir] {
    std::error_code ec;
    std::filesystem::remove_all(run_dir, ec);
  };

  RunCredentials creds;
  if (credentials_) {
    if (Status prepared = credentials_(*project, run, who, run_dir, creds); !prepared) {
      cleanup();
      // Tokens minted before the failure were issued all the same: they go on the record.
      if (Status s = record(std::move(creds.audit)); !s) {
        log_.error("run tokens cannot be recorded",
                   {{"run_id", run.id}, {"error", s.error().message}});
      }
      return fail("credentials: " + prepared.error().message);
    }
  }
  std::vector<audit::AuditEvent> starting = std::move(creds.audit);
  starting.push_back(started_event(run, who));
  if (!record(std::move(starting))) {
    cleanup();
    return fail("the audit log cannot record the start of the run; it did not start");
  }

  RunExecutionSpec spec;
  spec.run_id = run.id;
  spec.operation = *op;
  spec.stack_arg = project->credentials.backend ? ref->name : run.stack;
  spec.project_dir = project->dir;
  spec.message = run.message;
  spec.env = std::move(creds.env);
  spec.run_dir = run_dir;
  std::unique_ptr<RunExecution> execution = executions_(spec);
  RunExecution* exec = execution.get();
  {
    std::lock_guard lock(mu_);
    Active& active = active_[run.id];
    active.execution = std::move(execution);
    if (active.cancel_requested || stopping_) exec->cancel();
  }
  if (!run.cancel_requested_by.empty()) exec->cancel();

  feed_.open(run.id, 0);
  std::int64_t seq = 0;
  std::int64_t dropped = 0;
  bool store_failed = false;
  auto on_started = [&](std::int64_t pgid) {
    if (modify(run.id, run.status, [pgid](store::RunRecord& r) { r.pid = pgid; })) run.pid = pgid;
  };
  // Lines wait in `pending` until the end of their burst (one read of the log), then go to the
  // store in one transaction: one commit per burst, not per event. A burst is bounded too.
  constexpr std::size_t kMaxBurst = 512;
  std::vector<store::RunEventRecord> pending;
  auto flush = [&] {
    if (pending.empty() || store_failed) return;
    if (Status s = store_.append_run_events(run.id, pending); !s) {
      store_failed = true;
      dropped += static_cast<std::int64_t>(pending.size());
      log_.error("run events cannot be stored; the rest are dropped",
                 {{"run_id", run.id}, {"error", s.error().message}});
    } else {
      seq = pending.back().seq;
      feed_.published(run.id, seq);
    }
    pending.clear();
  };
  auto on_event = [&](std::string_view line) {
    const std::int64_t next = seq + static_cast<std::int64_t>(pending.size()) + 1;
    if (next > static_cast<std::int64_t>(options_.max_events_per_run) || store_failed) {
      ++dropped;
      return;
    }
    pending.push_back(store::RunEventRecord{next, std::string(line)});
    if (pending.size() >= kMaxBurst) flush();
  };
  RunOutcome outcome = exec->run(on_started, on_event, flush);
  flush();  // whatever the last read left
  if (dropped > 0) outcome.summary["dropped_events"] = dropped;
  bool shutting_down = false;
  {
    std::lock_guard lock(mu_);
    shutting_down = stopping_;
  }
  if (outcome.status == RunStatus::kCancelled && shutting_down) {
    outcome.reason = "cancelled: the gateway is shutting down";
  }
  // The run may have been asked to stop meanwhile; reread who asked.
  {
    std::lock_guard lock(write_mu_);
    if (auto latest = store_.get_run(run.id); latest && *latest) {
      run.cancel_requested_by = (*latest)->cancel_requested_by;
    }
  }
  if (outcome.status == RunStatus::kCancelled && !run.cancel_requested_by.empty() &&
      !shutting_down) {
    outcome.reason = "cancelled by " + run.cancel_requested_by;
  }
  cleanup();  // before the run shows as ended: whoever sees it ended finds its files gone
  finish(run, outcome.status, std::move(outcome.reason), outcome.exit_code,
         std::move(outcome.summary));
  log_.info("run finished",
            {{"run_id", run.id}, {"stack", run.stack}, {"status", run.status}, {"events", seq}});
  {
    std::lock_guard lock(mu_);
    auto it = active_.find(run.id);
    if (it != active_.end()) it->second.execution.reset();
  }
  mark_done();
}

void RunService::finish(store::RunRecord& run, RunStatus status, std::string reason,
                        std::optional<int> exit_code, json::object summary) {
  auto requester = requester_of(run);
  policy::Principal who = requester ? *requester : fallback_requester(run);
  const std::string expected = run.status;
  const std::string now = format_rfc3339(clock_.now());
  run.status = name_of(status);
  run.updated_at = now;
  run.finished_at = now;
  run.pid = 0;
  run.exit_code = exit_code;
  run.reason = std::move(reason);
  if (!summary.empty()) run.summary = json::serialize(summary);
  // The record first: whoever sees the run ended finds run.finished in the audit log.
  if (Status s = record({finished_event(run, who)}); !s) {
    log_.error("run.finished cannot be recorded",
               {{"run_id", run.id}, {"error", s.error().message}});
  }
  auto stored = modify(run.id, expected, [&run](store::RunRecord& r) {
    std::string asked = r.cancel_requested_by;
    r = run;
    r.cancel_requested_by = asked;
  });
  if (!stored) {
    log_.error("run result cannot be stored",
               {{"run_id", run.id}, {"error", stored.error().message}});
  } else {
    run = std::move(*stored);
  }
  feed_.close(run.id);
}

}  // namespace sg::runs
