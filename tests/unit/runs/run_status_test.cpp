#include "runs/run_status.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace sg::runs {
namespace {

const std::vector<RunStatus> kAll{
    RunStatus::kAwaitingApproval, RunStatus::kQueued,   RunStatus::kRunning,
    RunStatus::kSucceeded,        RunStatus::kFailed,   RunStatus::kCancelled,
    RunStatus::kTimedOut,         RunStatus::kRejected, RunStatus::kOrphaned};

TEST(RunStatus, NamesRoundTrip) {
  for (RunStatus s : kAll)
    EXPECT_EQ(parse_status(status_name(s)), s);
  EXPECT_EQ(status_name(RunStatus::kAwaitingApproval), "awaiting_approval");
  EXPECT_EQ(status_name(RunStatus::kTimedOut), "timed_out");
  EXPECT_EQ(parse_status("Running"), std::nullopt);
  EXPECT_EQ(parse_status(""), std::nullopt);
}

TEST(RunStatus, OnlyWaitingQueuedAndRunningAreNotTerminal) {
  for (RunStatus s : kAll) {
    bool open =
        s == RunStatus::kAwaitingApproval || s == RunStatus::kQueued || s == RunStatus::kRunning;
    EXPECT_EQ(is_terminal(s), !open) << status_name(s);
  }
}

TEST(RunStatus, TransitionsFollowTheLifecycle) {
  using S = RunStatus;
  std::vector<std::pair<S, S>> allowed{{S::kAwaitingApproval, S::kQueued},
                                       {S::kAwaitingApproval, S::kRejected},
                                       {S::kAwaitingApproval, S::kCancelled},
                                       {S::kQueued, S::kRunning},
                                       {S::kQueued, S::kCancelled},
                                       {S::kRunning, S::kSucceeded},
                                       {S::kRunning, S::kFailed},
                                       {S::kRunning, S::kCancelled},
                                       {S::kRunning, S::kTimedOut},
                                       {S::kRunning, S::kOrphaned}};
  for (S from : kAll) {
    for (S to : kAll) {
      bool expected =
          std::find(allowed.begin(), allowed.end(), std::pair{from, to}) != allowed.end();
      EXPECT_EQ(may_transition(from, to), expected)
          << status_name(from) << " -> " << status_name(to);
    }
  }
}

TEST(Operation, MapsToItsPolicyActionAndMutability) {
  EXPECT_EQ(action_of(Operation::kPreview), policy::Action::kPreview);
  EXPECT_EQ(action_of(Operation::kUp), policy::Action::kUpdate);
  EXPECT_EQ(action_of(Operation::kRefresh), policy::Action::kRefresh);
  EXPECT_EQ(action_of(Operation::kDestroy), policy::Action::kDestroy);
  EXPECT_FALSE(is_mutating(Operation::kPreview));
  EXPECT_TRUE(is_mutating(Operation::kUp));
  EXPECT_TRUE(is_mutating(Operation::kRefresh));
  EXPECT_TRUE(is_mutating(Operation::kDestroy));
  EXPECT_EQ(parse_operation("up"), Operation::kUp);
  EXPECT_EQ(parse_operation("update"), std::nullopt);
  EXPECT_EQ(operation_name(Operation::kDestroy), "destroy");
}

}  // namespace
}  // namespace sg::runs
