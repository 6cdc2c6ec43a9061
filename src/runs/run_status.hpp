// RunStatus and Operation: the run lifecycle's states and the Pulumi operations a run performs.
//
// A run is created awaiting_approval (its decision asked for approval) or queued (allowed). From
// awaiting_approval it becomes queued (approved), rejected (an approver said no, or the request
// lapsed) or cancelled. From queued it becomes running or cancelled. From running it ends
// succeeded, failed, cancelled or timed_out — or orphaned, when start-up finds it running under a
// gateway that died. The last six are terminal: nothing changes a terminal run.
//
// `preview` is read-only: previews of one stack may run beside each other and beside a mutating
// run. `up`, `refresh` and `destroy` change the stack: one at a time per stack. Each operation is
// authorised as its policy action (`up` as `update`). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "policy/action.hpp"

namespace sg::runs {

enum class RunStatus {
  kAwaitingApproval,
  kQueued,
  kRunning,
  kSucceeded,
  kFailed,
  kCancelled,
  kTimedOut,
  kRejected,
  kOrphaned,
};

// "awaiting_approval", "queued", "running", "succeeded", "failed", "cancelled", "timed_out",
// "rejected", "orphaned".
std::string_view status_name(RunStatus status);
std::optional<RunStatus> parse_status(std::string_view name);

bool is_terminal(RunStatus status);

// Whether the lifecycle allows `from` → `to`.
bool may_transition(RunStatus from, RunStatus to);

enum class Operation { kPreview, kUp, kRefresh, kDestroy };

// "preview", "up", "refresh", "destroy": the Pulumi command.
std::string_view operation_name(Operation op);
std::optional<Operation> parse_operation(std::string_view name);

// The policy action that authorises `op`: preview, update, refresh, destroy.
policy::Action action_of(Operation op);

// Whether `op` changes the stack (everything but preview).
bool is_mutating(Operation op);

}  // namespace sg::runs
