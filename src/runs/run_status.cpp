#include "runs/run_status.hpp"

#include <array>
#include <utility>

namespace sg::runs {
namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 9> kStatuses{{
    {RunStatus::kAwaitingApproval, "awaiting_approval"},
    {RunStatus::kQueued, "queued"},
    {RunStatus::kRunning, "running"},
    {RunStatus::kSucceeded, "succeeded"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kCancelled, "cancelled"},
    {RunStatus::kTimedOut, "timed_out"},
    {RunStatus::kRejected, "rejected"},
    {RunStatus::kOrphaned, "orphaned"},
}};

constexpr std::array<std::pair<Operation, std::string_view>, 4> kOperations{{
    {Operation::kPreview, "preview"},
    {Operation::kUp, "up"},
    {Operation::kRefresh, "refresh"},
    {Operation::kDestroy, "destroy"},
}};

}  // namespace

std::string_view status_name(RunStatus status) {
  for (const auto& [s, name] : kStatuses) {
    if (s == status) return name;
  }
  return "unknown";
}

std::optional<RunStatus> parse_status(std::string_view name) {
  for (const auto& [s, n] : kStatuses) {
    if (n == name) return s;
  }
  return std::nullopt;
}

bool is_terminal(RunStatus status) {
  switch (status) {
    case RunStatus::kAwaitingApproval:
    case RunStatus::kQueued:
    case RunStatus::kRunning:
      return false;
    default:
      return true;
  }
}

bool may_transition(RunStatus from, RunStatus to) {
  switch (from) {
    case RunStatus::kAwaitingApproval:
      return to == RunStatus::kQueued || to == RunStatus::kRejected || to == RunStatus::kCancelled;
    case RunStatus::kQueued:
      return to == RunStatus::kRunning || to == RunStatus::kCancelled;
    case RunStatus::kRunning:
      return to == RunStatus::kSucceeded || to == RunStatus::kFailed ||
             to == RunStatus::kCancelled || to == RunStatus::kTimedOut ||
             to == RunStatus::kOrphaned;
    default:
      return false;
  }
}

std::string_view operation_name(Operation op) {
  for (const auto& [o, name] : kOperations) {
    if (o == op) return name;
  }
  return "unknown";
}

std::optional<Operation> parse_operation(std::string_view name) {
  for (const auto& [o, n] : kOperations) {
    if (n == name) return o;
  }
  return std::nullopt;
}

policy::Action action_of(Operation op) {
  switch (op) {
    case Operation::kPreview:
      return policy::Action::kPreview;
    case Operation::kUp:
      return policy::Action::kUpdate;
    case Operation::kRefresh:
      return policy::Action::kRefresh;
    case Operation::kDestroy:
      return policy::Action::kDestroy;
  }
  return policy::Action::kAdmin;  // unreachable: every operation is handled above
}

bool is_mutating(Operation op) {
  return op != Operation::kPreview;
}

}  // namespace sg::runs
