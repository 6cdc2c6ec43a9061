#include "runs/pulumi_run.hpp"

#include <memory>
#include <mutex>
#include <utility>

#include "audit/event.hpp"
#include "runs/execution.hpp"

namespace sg::runs {
namespace {

constexpr std::size_t kMaxStderrTail = 4096;

class PulumiRun final : public RunExecution {
 public:
  PulumiRun(ExecutionRequest request, const Environment& gateway_env, ProcessSpawner& spawner,
            const Clock& clock)
      : request_(std::move(request)), gateway_env_(gateway_env), spawner_(spawner), clock_(clock) {}

  RunOutcome run(const std::function<void(std::int64_t pgid)>& started,
                 const std::function<void(std::string_view line)>& event,
                 const std::function<void()>& burst) override {
    ExecutionCallbacks callbacks;
    callbacks.on_started = [&started](int pid) { started(pid); };
    callbacks.on_event = [&event](const EngineEvent&, std::string_view line) { event(line); };
    callbacks.on_events_read = [&burst] { burst(); };
    {
      std::lock_guard lock(mu_);
      execution_ = std::make_unique<Execution>(request_, gateway_env_, spawner_, clock_,
                                               std::move(callbacks));
      if (cancelled_) execution_->cancel();
    }
    Result<ExecutionOutcome> done = execution_->run();
    RunOutcome out;
    if (!done) {
      out.status = RunStatus::kFailed;
      out.reason = "the run could not start: " + done.error().message;
      return out;
    }
    out.status = done->status;
    out.reason = std::move(done->reason);
    if (done->exit.code) out.exit_code = *done->exit.code;
    out.summary = done->summary.to_json();
    if (done->stdout_tail.dropped() > 0 || done->stderr_tail.dropped() > 0) {
      out.summary["output_bytes_dropped"] =
          static_cast<std::int64_t>(done->stdout_tail.dropped() + done->stderr_tail.dropped());
    }
    if (!done->event_log_error.empty()) out.summary["event_log_error"] = done->event_log_error;
    // What Pulumi said on stderr last: the reason of a failure before the engine started (no
    // stack, bad flags, login) is only there. Bounded, and made valid UTF-8.
    std::string_view err = done->stderr_tail.text();
    if (!err.empty()) {
      std::string_view tail = err;
      if (tail.size() > kMaxStderrTail) tail.remove_prefix(tail.size() - kMaxStderrTail);
      out.summary["stderr_tail"] = audit::clean_text(tail, kMaxStderrTail);
    }
    return out;
  }

  void cancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    if (execution_) execution_->cancel();
  }

 private:
  const ExecutionRequest request_;
  const Environment& gateway_env_;
  ProcessSpawner& spawner_;
  const Clock& clock_;
  std::mutex mu_;
  bool cancelled_ = false;                // guarded by mu_
  std::unique_ptr<Execution> execution_;  // set under mu_; then only run() and cancel() use it
};

}  // namespace

RunExecutionFactory make_pulumi_runs(const PulumiSettings& settings, const Environment& gateway_env,
                                     ProcessSpawner& spawner, const Clock& clock) {
  return [settings, &gateway_env, &spawner, &clock](const RunExecutionSpec& spec) {
    ExecutionRequest request;
    request.run_id = spec.run_id;
    request.operation = spec.operation;
    request.stack = spec.stack_arg;
    request.command = settings.command;
    request.project_dir = spec.project_dir;
    request.message = spec.message;
    request.credentials = spec.env;
    request.run_dir = spec.run_dir.string();
    request.timeout = settings.run_timeout;
    request.cancel_grace = settings.cancel_grace;
    request.max_output_bytes = settings.max_output_bytes;
    return std::unique_ptr<RunExecution>(
        std::make_unique<PulumiRun>(std::move(request), gateway_env, spawner, clock));
  };
}

}  // namespace sg::runs
