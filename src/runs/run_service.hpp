// RunService is the runs layer's front: it creates runs for verified principals, keeps the durable
// queue in the store, starts runs when the scheduler's rule allows (runs/dispatch_plan.hpp), runs
// them through the executor, and handles approve, reject and cancel.
//
// Every decision goes through the policy in force: creating a run needs the operation's action on
// the stack (`up` needs `update`); a decision of approval_required parks the run in
// awaiting_approval until the policy's approvers approve (holders of `approve` on the stack with an
// approver role, never the requester), one rejects, or the request lapses after
// `approval_timeout`. When a run is about to start, the requester's permission is checked again
// against the policy then in force, so a revoked permission stops runs still queued. Cancelling
// needs `cancel` on the stack, or being the requester. Every transition writes its audit event
// (run.created, run.approved, run.rejected, run.cancelled, run.started, run.finished,
// run.orphaned); the HTTP answer waits for its events, and a run never starts unless run.started
// is durable (fail closed).
//
// Concurrency: one dispatcher thread starts runs and expires approval requests; each running run
// has a worker thread for its child process. Several gateways sharing one store never start the
// same run twice: every status change is a compare-and-set in the store.
//
// Start-up recovery (recover(), before start()): runs left `running` by a gateway that died become
// `orphaned` (audited), the processes still alive in their process groups — recognised by the
// run's id in their environment — are killed, and the queue continues.
//
// Owned by the app; the borrowed services must outlive it. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "audit/event.hpp"
#include "audit/writer.hpp"
#include "catalog/stack_registry.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "policy/policy_holder.hpp"
#include "policy/principal.hpp"
#include "runs/run_event_feed.hpp"
#include "runs/run_status.hpp"
#include "store/store.hpp"

namespace sg::runs {

// What a run's child gets beyond the fixed environment: credential variables (files they name
// are written into the run directory), and the audit events of what was issued for it
// (token.issued for each run token, never the token itself).
struct RunCredentials {
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<audit::AuditEvent> audit;
};

// Prepares a run's credentials in `run_dir` into `out`. On failure `out.audit` still holds the
// events of whatever was issued before it failed (they are recorded), and the error names the
// provider and the cause, never a secret.
using CredentialSource = std::function<Status(
    const config::ProjectConfig& project, const store::RunRecord& run,
    const policy::Principal& requester, const std::filesystem::path& run_dir, RunCredentials& out)>;

// One run's child process, as the service sees it.
struct RunExecutionSpec {
  std::string run_id;
  Operation operation = Operation::kPreview;
  std::string stack_arg;  // what --stack gets
  std::string project_dir;
  std::string message;
  std::vector<std::pair<std::string, std::string>> env;  // the credentials' variables
  std::filesystem::path run_dir;
};

struct RunOutcome {
  RunStatus status = RunStatus::kFailed;  // succeeded, failed, cancelled or timed_out
  std::string reason;
  std::optional<int> exit_code;
  boost::json::object summary;  // runs::RunSummary::to_json()
};

class RunExecution {
 public:
  virtual ~RunExecution() = default;
  // Runs the child to its end. `started` gets its process group; `event` each engine-event line
  // as it is read, and `burst` follows the lines of one read of the log (where the service
  // stores them, one transaction a burst). Blocks the calling thread.
  virtual RunOutcome run(const std::function<void(std::int64_t pgid)>& started,
                         const std::function<void(std::string_view line)>& event,
                         const std::function<void()>& burst) = 0;
  // Asks the child to stop (SIGINT, then SIGKILL after the grace). Any thread, any time.
  virtual void cancel() = 0;
};

using RunExecutionFactory = std::function<std::unique_ptr<RunExecution>(const RunExecutionSpec&)>;

struct RunServiceOptions {
  unsigned max_concurrent_runs = 4;
  Duration approval_timeout = std::chrono::hours(24);
  std::filesystem::path runs_dir;  // each run gets runs_dir/<id>, mode 0700, removed afterwards
  std::size_t max_events_per_run = 100'000;
  // How often the dispatcher looks at the queue unwoken (approval expiry; runs queued by another
  // process). Creating, approving and finishing a run wake it at once.
  Duration dispatch_interval = std::chrono::seconds(1);
  std::vector<config::ProjectConfig> projects;
};

// Who asks, and over which request (for the audit events' `request`).
struct RunCaller {
  const policy::Principal& who;
  audit::AuditRequest request;
};

// A change the HTTP layer answers with: the run as it now is (its audit events are already
// durable: the service records them before it changes anything).
struct RunChange {
  store::RunRecord run;
  bool accepted_only = false;  // a running run was asked to stop: it has not stopped yet
};

// Filters of GET /v1/runs.
struct RunFilter {
  std::optional<std::string> stack;
  std::optional<std::vector<std::string>> statuses;
  std::optional<std::string> requester;
  std::optional<std::int64_t> before_seq;
  std::size_t limit = 50;
};

class RunService {
 public:
  RunService(RunServiceOptions options, store::Store& store, audit::AuditWriter& audit,
             policy::PolicyHolder& policy, catalog::StackRegistry& stacks, const Clock& clock,
             Logger& log, RunExecutionFactory executions, CredentialSource credentials);
  ~RunService();
  RunService(const RunService&) = delete;
  RunService& operator=(const RunService&) = delete;

  // Start-up recovery; call once before start(). Returns how many runs were orphaned.
  // Errors: kStoreUnavailable.
  Result<std::size_t> recover();
  // Starts the dispatcher. Errors: kIo (the runs directory cannot be made).
  Status start();
  // Stops starting runs, cancels the running ones and waits for them (at most `grace` + a
  // little), then stops the threads.
  void stop(Duration grace);

  // POST /v1/stacks/{org}/{project}/{stack}/runs. Errors: kInvalidArgument (operation, message),
  // kForbidden (denied; the decision's reasons in the message), kNotFound (a stack the caller could
  // read but that is not configured), kStoreUnavailable.
  Result<RunChange> create(const RunCaller& caller, std::string_view stack,
                           std::string_view operation, std::string_view message);

  // Errors: kNotFound (no run, or one the caller may not read: the same answer),
  // kStoreUnavailable.
  Result<store::RunRecord> get(const policy::Principal& who, std::string_view id);
  // The runs the caller may read, newest first, and the cursor of the next page (0: none).
  Result<std::pair<std::vector<store::RunRecord>, std::int64_t>> list(const policy::Principal& who,
                                                                      const RunFilter& filter);

  // Errors: kNotFound, kForbidden (not an approver; the requester themselves), kConflict (not
  // awaiting approval; already approved by this person), kStoreUnavailable.
  Result<RunChange> approve(const RunCaller& caller, std::string_view id);
  Result<RunChange> reject(const RunCaller& caller, std::string_view id, std::string_view reason);
  // Errors: kNotFound, kForbidden, kConflict (already finished), kStoreUnavailable.
  Result<RunChange> cancel(const RunCaller& caller, std::string_view id);

  // Events of a run after `after_seq` (at most `limit`) — for a caller who may read the run.
  Result<std::vector<store::RunEventRecord>> events(std::string_view id, std::int64_t after_seq,
                                                    std::size_t limit);
  RunEventFeed& feed() { return feed_; }

  // Where a run stands, without a permission check (for a stream already authorised).
  struct RunState {
    RunStatus status = RunStatus::kQueued;
    std::string reason;
    std::optional<int> exit_code;
  };
  // Errors: kNotFound, kStoreUnavailable.
  Result<RunState> status_of(std::string_view id);

  struct Stats {
    std::size_t running = 0;
    std::uint64_t started = 0;
    std::uint64_t finished = 0;
  };
  Stats stats() const;

  // Stops waiting and looks at the queue now (tests, and after a change from another process).
  void poke();

 private:
  struct Active {
    std::thread thread;
    std::unique_ptr<RunExecution> execution;  // set once the worker made it; guarded by mu_
    bool cancel_requested = false;
    bool done = false;
  };

  void dispatch_loop();
  void dispatch_once();
  void expire_approvals();
  void work(store::RunRecord run);
  void finish(store::RunRecord& run, RunStatus status, std::string reason,
              std::optional<int> exit_code, boost::json::object summary);
  Result<store::RunRecord> load_visible(const policy::Principal& who, std::string_view id,
                                        policy::Action action);
  const config::ProjectConfig* project_of(std::string_view stack) const;
  // The stack `ref` names, with its catalog attributes when the registry knows it.
  // Errors: kInvalidArgument (not "org/project/stack").
  Result<policy::Stack> stack_of(std::string_view ref) const;
  Status record(std::vector<audit::AuditEvent> events);
  // Reads run `id`, applies `change` and writes it back if its status is still `expected`, under
  // write_mu_, so the worker and a cancel never overwrite each other's fields.
  Result<store::RunRecord> modify(std::string_view id, std::string_view expected,
                                  const std::function<void(store::RunRecord&)>& change);

  const RunServiceOptions options_;
  store::Store& store_;
  audit::AuditWriter& audit_;
  policy::PolicyHolder& policy_;
  catalog::StackRegistry& stacks_;
  const Clock& clock_;
  Logger& log_;
  RunExecutionFactory executions_;
  CredentialSource credentials_;
  RunEventFeed feed_;

  std::mutex write_mu_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool poked_ = false;
  std::map<std::string, Active, std::less<>> active_;
  std::uint64_t started_ = 0;
  std::uint64_t finished_ = 0;
  std::thread dispatcher_;
};

}  // namespace sg::runs
