#include "runs/dispatch_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace sg::runs {
namespace {

using Runs = std::vector<PlannedRun>;
using Picks = std::vector<std::size_t>;

PlannedRun up(std::string stack) {
  return {std::move(stack), true};
}
PlannedRun preview(std::string stack) {
  return {std::move(stack), false};
}

TEST(DispatchPlan, StartsNothingWhenNothingIsQueued) {
  EXPECT_EQ(runs_to_start({}, {}, 4), Picks{});
}

TEST(DispatchPlan, TwoUpdatesOfOneStackRunOneAfterTheOther) {
  Runs queued{up("a/p/dev"), up("a/p/dev")};
  EXPECT_EQ(runs_to_start(queued, {}, 4), Picks{0});
  Runs running{up("a/p/dev")};
  Runs rest{up("a/p/dev")};
  EXPECT_EQ(runs_to_start(rest, running, 4), Picks{});
}

TEST(DispatchPlan, PreviewsOfOneStackRunSideBySide) {
  Runs queued{preview("a/p/dev"), preview("a/p/dev"), preview("a/p/dev")};
  EXPECT_EQ(runs_to_start(queued, {}, 4), (Picks{0, 1, 2}));
}

TEST(DispatchPlan, APreviewRunsBesideARunningUpdate) {
  Runs running{up("a/p/dev")};
  Runs queued{preview("a/p/dev")};
  EXPECT_EQ(runs_to_start(queued, running, 4), Picks{0});
}

TEST(DispatchPlan, APreviewQueuedBehindABlockedUpdateWaitsForIt) {
  Runs running{up("a/p/dev")};
  Runs queued{up("a/p/dev"), preview("a/p/dev")};
  EXPECT_EQ(runs_to_start(queued, running, 4), Picks{});
}

TEST(DispatchPlan, AnUpdateStartsBesideRunningPreviews) {
  Runs running{preview("a/p/dev"), preview("a/p/dev")};
  Runs queued{up("a/p/dev")};
  EXPECT_EQ(runs_to_start(queued, running, 4), Picks{0});
}

TEST(DispatchPlan, ABlockedStackDoesNotHoldBackAnother) {
  Runs running{up("a/p/dev")};
  Runs queued{up("a/p/dev"), up("a/p/prod"), preview("a/p/dev"), up("a/q/dev")};
  EXPECT_EQ(runs_to_start(queued, running, 4), (Picks{1, 3}));
}

TEST(DispatchPlan, TheGlobalLimitHoldsInQueueOrder) {
  Runs queued{up("a/p/1"), up("a/p/2"), up("a/p/3"), up("a/p/4")};
  Runs running{preview("a/p/9")};
  EXPECT_EQ(runs_to_start(queued, running, 3), (Picks{0, 1}));
  Runs full{preview("a/p/7"), preview("a/p/8"), preview("a/p/9")};
  EXPECT_EQ(runs_to_start(queued, full, 3), Picks{});
}

TEST(DispatchPlan, OnlyOneOfTwoQueuedUpdatesOfAFreeStackStarts) {
  Runs queued{up("a/p/dev"), preview("a/p/dev"), up("a/p/dev"), preview("a/p/dev")};
  // The update starts, the preview behind it starts beside it, the second update waits, and
  // so does the preview queued after it.
  EXPECT_EQ(runs_to_start(queued, {}, 8), (Picks{0, 1}));
}

// 1,000 runs over 100 stacks drained in rounds: no round ever has two mutating runs of one
// stack running, every run starts, and each stack's runs start in queue order.
TEST(DispatchPlan, DrainsAThousandRunsOverAHundredStacksKeepingThePerStackRule) {
  struct Item {
    PlannedRun run;
    std::size_t id;
  };
  std::vector<Item> queue;
  for (std::size_t i = 0; i < 1000; ++i) {
    queue.push_back({PlannedRun{"org/p/s" + std::to_string(i % 100), i % 7 != 0}, i});
  }
  std::vector<Item> running;
  std::vector<std::size_t> started_order;
  std::size_t rounds = 0;
  while (!queue.empty() || !running.empty()) {
    ASSERT_LT(++rounds, 10'000U);
    Runs q;
    Runs r;
    for (const Item& it : queue)
      q.push_back(it.run);
    for (const Item& it : running)
      r.push_back(it.run);
    Picks picks = runs_to_start(q, r, 16);
    for (auto it = picks.rbegin(); it != picks.rend(); ++it) {
      running.push_back(queue[*it]);
      queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(*it));
    }
    ASSERT_LE(running.size(), 16U);
    std::map<std::string, int> mutating;
    for (const Item& it : running) {
      if (it.run.mutating) {
        ASSERT_EQ(++mutating[it.run.stack], 1) << it.run.stack;
      }
    }
    for (const Item& it : running)
      started_order.push_back(it.id);
    // Finish the oldest half of what runs (at least one).
    std::size_t done = std::max<std::size_t>(1, running.size() / 2);
    running.erase(running.begin(), running.begin() + static_cast<std::ptrdiff_t>(done));
  }
  // Per stack, the first time each run was seen running follows queue order.
  std::map<std::string, std::size_t> last;
  std::set<std::size_t> seen;
  for (std::size_t id : started_order) {
    if (!seen.insert(id).second) continue;
    std::string stack = "org/p/s" + std::to_string(id % 100);
    auto it = last.find(stack);
    if (it != last.end()) {
      EXPECT_LT(it->second, id);
    }
    last[stack] = id;
  }
  EXPECT_EQ(seen.size(), 1000U);
}

}  // namespace
}  // namespace sg::runs
