// How a Pulumi child's end becomes the run's final status and a plain-words reason.
//
// In order (../shared/reference/pulumi.md, "Exit codes"):
//   1. exit 0 → succeeded (even when a cancel or the timeout came too late to matter);
//   2. a non-zero exit with stderr naming a concurrent update or a locked stack — "[409] Conflict:
//      Another update is currently in progress" (Pulumi Cloud) or "the stack is currently locked
//      by" (self-managed backends) — → failed, "stack is locked: another update is in progress";
//   3. after the executor interrupted the child (SIGINT, perhaps SIGKILL after the grace period),
//      an exit of 8 (cancelled), 1 (what an interrupted CLI may still exit with) or 9, or death by
//      a signal → cancelled, or timed_out when the run's timeout caused the interrupt;
//   4. exit 8 otherwise → cancelled (Pulumi cancelled it, e.g. `pulumi cancel`);
//   5. anything else → failed, with a reason per exit code or the signal.
// Reasons are fixed text: stderr and the program's output never enter them (the run summary's
// last_error carries the engine's own error message separately).
//
// Owner: runs. Pure functions and plain value types; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "runs/process_spawner.hpp"
#include "runs/run_status.hpp"

namespace sg::runs {

// A verdict is one of RunStatus (runs/run_status.hpp) succeeded, failed, cancelled, timed_out.

inline constexpr std::string_view kStackLockedReason =
    "stack is locked: another update is in progress";

// Whether `stderr_text` holds Pulumi's concurrent-update or locked-stack message.
bool mentions_locked_stack(std::string_view stderr_text);

// The longest marker mentions_locked_stack looks for: a reader of a stream in chunks keeps this
// many bytes minus one of the previous chunk to find a marker split between two.
std::size_t locked_stack_marker_bytes();

enum class Interrupt { kNone, kCancel, kTimeout };

struct ExitFacts {
  ExitStatus exit;                         // how the child ended
  Interrupt interrupt = Interrupt::kNone;  // why the executor sent SIGINT, if it did
  bool killed = false;                     // the executor sent SIGKILL after the grace period
  bool stack_locked = false;               // mentions_locked_stack() on its stderr
  std::chrono::milliseconds timeout{0};    // for the timed_out reason
};

struct Verdict {
  RunStatus status = RunStatus::kFailed;
  std::string reason;

  friend bool operator==(const Verdict&, const Verdict&) = default;
};

Verdict decide_verdict(const ExitFacts& facts);

// "SIGKILL", "SIGINT", … for the usual signals, else "signal N".
std::string signal_name(int signal);

}  // namespace sg::runs
