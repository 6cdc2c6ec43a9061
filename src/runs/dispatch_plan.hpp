// The scheduler's rule, as a pure function: which queued runs may start now.
//
// Queued runs are taken in queue order (FIFO). Within one stack the order is strict: a run starts
// only once every run queued before it on that stack has started, so a preview queued behind an
// update waits for the update to start. A mutating run (up, refresh, destroy) starts only when no
// other mutating run of its stack is running; previews run beside each other and beside a
// mutating run. Across stacks nothing waits for anything but the global limit: a stack whose head
// is blocked does not hold back another stack. At most `max_concurrent` runs run at once.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace sg::runs {

struct PlannedRun {
  std::string stack;  // "org/project/stack"
  bool mutating = false;
};

// Indexes into `queued` (which is in queue order) of the runs to start now, in queue order.
std::vector<std::size_t> runs_to_start(std::span<const PlannedRun> queued,
                                       std::span<const PlannedRun> running,
                                       std::size_t max_concurrent);

}  // namespace sg::runs
