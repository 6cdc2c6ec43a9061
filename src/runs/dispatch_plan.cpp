#include "runs/dispatch_plan.hpp"

#include <string_view>
#include <unordered_map>

namespace sg::runs {
namespace {

struct StackState {
  bool mutating_running = false;
  bool blocked = false;  // an earlier queued run of this stack has not started: the rest wait
};

}  // namespace

std::vector<std::size_t> runs_to_start(std::span<const PlannedRun> queued,
                                       std::span<const PlannedRun> running,
                                       std::size_t max_concurrent) {
  std::vector<std::size_t> start;
  std::size_t active = running.size();
  if (active >= max_concurrent) return start;
  std::unordered_map<std::string_view, StackState> stacks;
  for (const PlannedRun& r : running) {
    if (r.mutating) stacks[r.stack].mutating_running = true;
  }
  for (std::size_t i = 0; i < queued.size() && active < max_concurrent; ++i) {
    StackState& s = stacks[queued[i].stack];
    if (s.blocked) continue;
    if (queued[i].mutating && s.mutating_running) {
      s.blocked = true;
      continue;
    }
    start.push_back(i);
    ++active;
    if (queued[i].mutating) s.mutating_running = true;
  }
  return start;
}

}  // namespace sg::runs
