#include "runs/run_verdict.hpp"

#include <signal.h>

#include <algorithm>
#include <array>
#include <utility>

#include "common/duration.hpp"

namespace sg::runs {
namespace {

constexpr std::array<std::string_view, 2> kLockedMarkers = {
    "[409] Conflict: Another update is currently in progress",
    "the stack is currently locked by",
};

constexpr std::string_view kKilledAfterGrace =
    "; Pulumi did not stop within the grace period and was killed";

std::string failed_reason(int code) {
  const std::string suffix = " (exit code " + std::to_string(code) + ")";
  switch (code) {
    case 2:
      return "Pulumi refused its command line or the configuration" + suffix;
    case 3:
      return "Pulumi could not authenticate" + suffix;
    case 4:
      return "a resource operation failed" + suffix;
    case 5:
      return "a policy was violated" + suffix;
    case 6:
      return "the stack was not found" + suffix;
    case 7:
      return "the operation found unexpected changes" + suffix;
    case 9:
      return "Pulumi timed out" + suffix;
    case 255:
      return "Pulumi failed with an internal error" + suffix;
    default:
      return "Pulumi failed" + suffix;
  }
}

}  // namespace

bool mentions_locked_stack(std::string_view stderr_text) {
  return std::any_of(kLockedMarkers.begin(), kLockedMarkers.end(), [&](std::string_view marker) {
    return stderr_text.find(marker) != std::string_view::npos;
  });
}

std::size_t locked_stack_marker_bytes() {
  std::size_t longest = 0;
  for (std::string_view marker : kLockedMarkers)
    longest = std::max(longest, marker.size());
  return longest;
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGHUP:
      return "SIGHUP";
    case SIGINT:
      return "SIGINT";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGILL:
      return "SIGILL";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGKILL:
      return "SIGKILL";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGALRM:
      return "SIGALRM";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "signal " + std::to_string(signal);
  }
}

Verdict decide_verdict(const ExitFacts& facts) {
  const std::optional<int>& code = facts.exit.code;
  if (code == 0) return {RunStatus::kSucceeded, "Pulumi finished successfully"};
  if (code && facts.stack_locked) return {RunStatus::kFailed, std::string(kStackLockedReason)};
  const bool interrupted_end = facts.exit.signal || code == 8 || code == 1 || code == 9;
  if (facts.interrupt != Interrupt::kNone && interrupted_end) {
    std::string reason = facts.interrupt == Interrupt::kCancel
                             ? "cancelled on request"
                             : "timed out after " + format_duration(facts.timeout);
    if (facts.killed) reason += kKilledAfterGrace;
    return {facts.interrupt == Interrupt::kCancel ? RunStatus::kCancelled : RunStatus::kTimedOut,
            std::move(reason)};
  }
  if (code == 8) return {RunStatus::kCancelled, "Pulumi cancelled the operation (exit code 8)"};
  if (code) return {RunStatus::kFailed, failed_reason(*code)};
  if (facts.exit.signal) {
    return {RunStatus::kFailed, "Pulumi was ended by " + signal_name(*facts.exit.signal)};
  }
  return {RunStatus::kFailed, "Pulumi ended without an exit status"};
}

}  // namespace sg::runs
