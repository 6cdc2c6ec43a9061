// Execution runs one Pulumi operation as a child process and reports what happened.
//
// run() blocks the calling thread until the child is gone:
//   1. checks the request (command line, environment: child_command, child_environment), resolves
//      `command` on the child's PATH (command_path), creates <run dir>/home (PULUMI_HOME, mode
//      0700) and <run dir>/events.jsonl (the --event-log file, 0600) — the run directory must exist
//      and hold neither;
//   2. starts `pulumi <op> --stack S --cwd DIR --non-interactive [--yes] --color never --event-log
//      FILE [--message=M]` in the run directory, in its own process group, with exactly the
//      environment child_environment builds;
//   3. until the child exits: reads its stdout and stderr (each kept as an OutputTail of
//      max_output_bytes, and passed to on_output as it arrives), reads the event log every
//      kPollInterval at most and passes each event to on_event at once, folding it into the
//      RunSummary; on cancel() or when `timeout` has passed (by the injected clock) sends SIGINT to
//      the process group, and SIGKILL if the child is still there `cancel_grace` later;
//   4. once the child has exited: SIGKILL to its group (plugins it left behind), reaps it, reads
//      what remains of its output and of the event log (an unterminated last line included), and
//      decides the status (run_verdict);
//   5. removes PULUMI_HOME and the event log — never following a link (file_tree) — and leaves
//      the run directory itself to the caller.
//
// Errors of run() mean nothing was started: kInvalidArgument (the request: a credential setting a
// fixed variable, a NUL byte, an empty field), kIo (the run directory cannot be used), kInternal
// (run() called twice). A command that cannot be found or started is not an error but a failed
// outcome whose reason names it. Reasons and errors hold no secret: credential values, stderr and
// the program's output never enter them.
//
// Owner: runs; the run service makes one per run. Thread-safety: run() from one thread, once;
// cancel() from any thread at any time (before run(), during it — it wakes the loop — or after).
// The callbacks run on run()'s thread and must not throw. The spawner, the clock and the gateway
// environment must outlive the Execution.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "common/unique_fd.hpp"
#include "runs/child_command.hpp"
#include "runs/child_environment.hpp"
#include "runs/engine_event.hpp"
#include "runs/output_tail.hpp"
#include "runs/process_spawner.hpp"
#include "runs/run_summary.hpp"
#include "runs/run_verdict.hpp"

namespace sg::runs {

struct ExecutionRequest {
  std::string run_id;  // PULUMI_CI_BUILD_ID
  Operation operation = Operation::kPreview;
  std::string stack;                     // --stack
  std::string command = "pulumi";        // pulumi.command: a name looked up on PATH, or a path
  std::string project_dir;               // --cwd; made absolute
  std::string message;                   // --message; empty: none
  Environment credentials;               // from the credential providers
  std::string run_dir;                   // exists, made by the caller; made absolute
  std::chrono::milliseconds timeout{0};  // 0: none
  std::chrono::milliseconds cancel_grace{30'000};
  std::size_t max_output_bytes = 1024 * 1024;  // per stream
};

enum class OutputStream { kStdout, kStderr };

struct ExecutionCallbacks {
  // The child started, in process group `pid` (its own pid).
  std::function<void(int pid)> on_started;
  // Each engine event in log order, with its line as written (no newline). Lines that do not
  // parse are only counted (RunSummary::malformed_lines).
  std::function<void(const EngineEvent& event, std::string_view line)> on_event;
  // After the events of one read of the log were passed to on_event: a caller storing them can
  // write the burst in one transaction.
  std::function<void()> on_events_read;
  // Output as it arrives, in chunks of any size; before the tail bound.
  std::function<void(OutputStream stream, std::string_view bytes)> on_output;
};

struct ExecutionOutcome {
  RunStatus status = RunStatus::kFailed;
  std::string reason;      // plain words, fixed text (run_verdict)
  ExitStatus exit;         // neither set when no child was started
  bool cancelled = false;  // cancel() stopped the run, before or after the child started
  bool timed_out = false;  // the timeout interrupted the child
  bool killed = false;     // SIGKILL after the grace period was needed
  RunSummary summary;
  OutputTail stdout_tail;
  OutputTail stderr_tail;
  std::string event_log_error;  // reading the log failed: the summary stops there
  std::string cleanup_error;    // something of PULUMI_HOME could not be removed
  Time started{};
  Time finished{};
};

class Execution {
 public:
  // At most this long between two reads of the event log while the child runs.
  static constexpr std::chrono::milliseconds kPollInterval{25};

  // Throws std::system_error if no eventfd can be made (a broken machine).
  Execution(ExecutionRequest request, const Environment& gateway_env, ProcessSpawner& spawner,
            const Clock& clock, ExecutionCallbacks callbacks = {});
  ~Execution();
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  Result<ExecutionOutcome> run();

  // Asks the run to stop: SIGINT to the child's group, SIGKILL after cancel_grace. Once: later
  // calls do nothing more. A cancel before the child starts means it never starts.
  void cancel();

 private:
  class Watch;

  ExecutionRequest request_;
  const Environment& gateway_env_;
  ProcessSpawner& spawner_;
  const Clock& clock_;
  ExecutionCallbacks callbacks_;
  UniqueFd wake_;  // eventfd: cancel() wakes the loop
  std::atomic<bool> cancel_requested_{false};
  bool ran_ = false;
};

}  // namespace sg::runs
