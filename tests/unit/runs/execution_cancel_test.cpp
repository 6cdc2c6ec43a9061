// Execution's cancel, grace period, timeout and clean-up of what a child leaves behind, against
// the Pulumi stand-in and small shell scripts. Nothing here measures time: cancels are triggered
// by events the child wrote, the timeout by a manual clock advanced from an event, and the only
// real wait is a grace period whose expiry the outcome reports.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

#include "runs/execution.hpp"
#include "runs/execution_test_support.hpp"

namespace sg::runs {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

class ExecutionCancelTest : public testing::ExecutionFixture {
 protected:
  // Callbacks that record, and call `hook` (once per event) on run()'s thread.
  ExecutionCallbacks hooked(std::function<void(const EngineEvent&)> hook) {
    ExecutionCallbacks callbacks = recording();
    auto record = callbacks.on_event;
    callbacks.on_event = [record, hook](const EngineEvent& event, std::string_view line) {
      record(event, line);
      hook(event);
    };
    return callbacks;
  }

  static std::size_t count(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string_view::npos;
         at = text.find(what, at + 1))
      ++n;
    return n;
  }

  static constexpr const char* kSlowSteps =
      R"({"sleep_ms_per_step": 1000, "resources": [
           {"type": "aws:s3/bucket:Bucket", "name": "a"}, {"type": "aws:s3/bucket:Bucket", "name": "b"},
           {"type": "aws:s3/bucket:Bucket", "name": "c"}, {"type": "aws:s3/bucket:Bucket", "name": "d"},
           {"type": "aws:s3/bucket:Bucket", "name": "e"}]})";
};

TEST_F(ExecutionCancelTest, ACancelFromAnotherThreadStopsTheRunGracefully) {
  scenario(kSlowSteps);
  std::promise<void> started;
  bool signalled = false;
  const ExecutionRequest r = request(Operation::kUp);
  Execution execution(r, gateway_env_, spawner_, clock_, hooked([&](const EngineEvent& e) {
                        if (e.kind == EventKind::kPrelude && !signalled) {
                          signalled = true;
                          started.set_value();
                        }
                      }));
  std::thread canceller([&] {
    started.get_future().wait();
    execution.cancel();
  });
  auto outcome = execution.run();
  canceller.join();
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  const ExecutionOutcome& out = *outcome;

  EXPECT_EQ(out.status, RunStatus::kCancelled);
  EXPECT_EQ(out.reason, "cancelled on request");
  EXPECT_EQ(out.exit, (ExitStatus{8, std::nullopt}));  // Pulumi's "cancelled"
  EXPECT_TRUE(out.cancelled);
  EXPECT_FALSE(out.timed_out || out.killed);
  EXPECT_EQ(out.summary.result(), RunResult::kCancelled);
  EXPECT_TRUE(out.summary.cancel_event_seen());
  // The step in flight when SIGINT came completes; no step after it starts.
  const auto& changes = out.summary.resource_changes();
  ASSERT_EQ(changes.count("create"), 1u);
  EXPECT_LT(changes.at("create"), 5);
  EXPECT_EQ(count(out.stderr_tail.text(), "^C received; cancelling"), 1u);
  EXPECT_EQ(kinds().back(), "cancelEvent");
  EXPECT_EQ(entries_of(r.run_dir), Strings{});
}

TEST_F(ExecutionCancelTest, ASecondCancelSendsNoSecondSigint) {
  scenario(kSlowSteps);
  Execution* self = nullptr;
  Execution execution(request(Operation::kUp), gateway_env_, spawner_, clock_,
                      hooked([&](const EngineEvent& e) {
                        if (e.kind == EventKind::kPrelude || e.kind == EventKind::kResourcePre) {
                          self->cancel();
                          self->cancel();
                        }
                      }));
  self = &execution;
  auto outcome = execution.run();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->status, RunStatus::kCancelled);
  // A second SIGINT would make the stand-in exit 1 at once, with "terminating" and no summary.
  EXPECT_EQ(outcome->exit, (ExitStatus{8, std::nullopt}));
  EXPECT_EQ(count(outcome->stderr_tail.text(), "^C received"), 1u);
  EXPECT_TRUE(outcome->summary.cancel_event_seen());
}

TEST_F(ExecutionCancelTest, AnExitOneAfterTheCancelIsCancelledToo) {
  scenario(R"({"sleep_ms_per_step": 1000, "cancel_exit_code": 1,
               "resources": [{"type": "t:m:R", "name": "a"}, {"type": "t:m:R", "name": "b"}]})");
  Execution* self = nullptr;
  Execution execution(request(Operation::kDestroy), gateway_env_, spawner_, clock_,
                      hooked([&](const EngineEvent& e) {
                        if (e.kind == EventKind::kPrelude) self->cancel();
                      }));
  self = &execution;
  auto outcome = execution.run();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->status, RunStatus::kCancelled);
  EXPECT_EQ(outcome->reason, "cancelled on request");
  EXPECT_EQ(outcome->exit, (ExitStatus{1, std::nullopt}));
}

TEST_F(ExecutionCancelTest, AChildIgnoringSigintIsKilledWithItsGroupAfterTheGrace) {
  scenario(R"({"ignore_sigint": true, "sleep_ms_per_step": 600000,
               "resources": [{"type": "t:m:R", "name": "a"}]})");
  ExecutionRequest r = request(Operation::kUp);
  r.cancel_grace = 200ms;
  Execution* self = nullptr;
  Execution execution(r, gateway_env_, spawner_, clock_, hooked([&](const EngineEvent& e) {
                        if (e.kind == EventKind::kPrelude) self->cancel();
                      }));
  self = &execution;
  auto outcome = execution.run();
  ASSERT_TRUE(outcome.ok());
  const ExecutionOutcome& out = *outcome;
  EXPECT_EQ(out.status, RunStatus::kCancelled);
  EXPECT_EQ(out.reason,
            "cancelled on request; Pulumi did not stop within the grace period and was killed");
  EXPECT_EQ(out.exit, (ExitStatus{std::nullopt, SIGKILL}));
  EXPECT_TRUE(out.cancelled);
  EXPECT_TRUE(out.killed);
  EXPECT_EQ(out.summary.result(), RunResult::kUnknown);  // no summaryEvent
  EXPECT_FALSE(out.summary.cancel_event_seen());
  EXPECT_EQ(kinds(), (Strings{"preludeEvent", "resourcePreEvent"}));
  EXPECT_EQ(entries_of(r.run_dir), Strings{});
}

TEST_F(ExecutionCancelTest, ACancelBeforeTheRunStartsNothing) {
  ExecutionRequest r = request(Operation::kUp);
  Execution execution(r, gateway_env_, spawner_, clock_);
  execution.cancel();
  auto outcome = execution.run();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->status, RunStatus::kCancelled);
  EXPECT_EQ(outcome->reason, "cancelled before Pulumi started");
  EXPECT_EQ(outcome->exit, ExitStatus{});
  EXPECT_FALSE(fs::exists(project_ + "/.standin-record.json"));
  EXPECT_EQ(entries_of(r.run_dir), Strings{});
  execution.cancel();  // after the run: nothing to do
}

TEST_F(ExecutionCancelTest, TheTimeoutInterruptsTheRunByTheInjectedClock) {
  scenario(kSlowSteps);
  ManualClock clock(Time{} + std::chrono::hours(24 * 365 * 56));
  ExecutionRequest r = request(Operation::kUp);
  r.timeout = 1h;
  Execution execution(r, gateway_env_, spawner_, clock, hooked([&](const EngineEvent& e) {
                        if (e.kind == EventKind::kPrelude) clock.advance(1h + 1ms);
                      }));
  auto outcome = execution.run();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->status, RunStatus::kTimedOut);
  EXPECT_EQ(outcome->reason, "timed out after 1h");
  EXPECT_EQ(outcome->exit, (ExitStatus{8, std::nullopt}));
  EXPECT_TRUE(outcome->timed_out);
  EXPECT_FALSE(outcome->cancelled || outcome->killed);
  EXPECT_EQ(outcome->summary.result(), RunResult::kCancelled);
  EXPECT_EQ(outcome->finished - outcome->started, 1h + 1ms);
}

TEST_F(ExecutionCancelTest, AChildIgnoringTheTimeoutIsKilledAfterTheGrace) {
  scenario(R"({"ignore_sigint": true, "sleep_ms_per_step": 600000,
               "resources": [{"type": "t:m:R", "name": "a"}]})");
  ManualClock clock(Time{} + std::chrono::hours(24 * 365 * 56));
  ExecutionRequest r = request(Operation::kUp);
  r.timeout = 30min;
  r.cancel_grace = 10s;
  Execution execution(r, gateway_env_, spawner_, clock, hooked([&](const EngineEvent& e) {
                        if (e.kind == EventKind::kPrelude) clock.advance(31min);
                      }));
  // The grace runs out when the clock says so: advanced from the output the SIGINT cannot cause
  // here, so from a second thread once the timeout has fired.
  std::atomic<bool> done{false};
  std::thread ticker([&] {
    while (!done.load()) {
      std::this_thread::sleep_for(20ms);
      if (clock.now() >= Time{} + std::chrono::hours(24 * 365 * 56) + 31min) clock.advance(1s);
    }
  });
  auto outcome = execution.run();
  done = true;
  ticker.join();
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->status, RunStatus::kTimedOut);
  EXPECT_EQ(outcome->reason,
            "timed out after 30m; Pulumi did not stop within the grace period and was killed");
  EXPECT_EQ(outcome->exit, (ExitStatus{std::nullopt, SIGKILL}));
  EXPECT_TRUE(outcome->timed_out && outcome->killed);
  EXPECT_FALSE(outcome->cancelled);
}

// A "pulumi" that leaves a helper holding its stdout, and an event log whose last line has no
// newline (what a CLI killed mid-write leaves) after one line that is not JSON.
constexpr std::string_view kLeavesAHelper = R"(#!/bin/sh
log=
while [ $# -gt 0 ]; do
  case "$1" in --event-log) log="$2"; shift ;; esac
  shift
done
sleep 600 &
echo "helper $!"
printf '%s\n%s\n%s' '{"sequence":0,"timestamp":1,"preludeEvent":{"config":{}}}' 'not json' \
  '{"sequence":1,"timestamp":1,"cancelEvent":{}}' > "$log"
exit 0
)";

TEST_F(ExecutionCancelTest, WhatTheChildLeftBehindIsKilledAndItsLastLineRead) {
  const std::string script = tmp_.write("bin/pulumi", kLeavesAHelper);
  fs::permissions(script, fs::perms::owner_all);
  ExecutionRequest r = request(Operation::kUp);
  r.command = script;
  Execution execution(r, gateway_env_, spawner_, clock_, recording());
  auto outcome = execution.run();
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->status, RunStatus::kSucceeded);
  EXPECT_EQ(kinds(), (Strings{"preludeEvent", "cancelEvent"}));
  EXPECT_EQ(outcome->summary.malformed_lines(), 1);
  EXPECT_TRUE(outcome->summary.cancel_event_seen());
  const std::string out(outcome->stdout_tail.text());
  ASSERT_EQ(out.rfind("helper ", 0), 0u) << out;
  const int helper = std::stoi(out.substr(7));
  EXPECT_TRUE(testing::eventually([&] { return testing::process_is_dead(helper); }));
  EXPECT_EQ(entries_of(r.run_dir), Strings{});
}

}  // namespace
}  // namespace sg::runs
