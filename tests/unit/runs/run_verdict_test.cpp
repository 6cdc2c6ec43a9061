#include "runs/run_verdict.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>

namespace sg::runs {
namespace {

using namespace std::chrono_literals;

ExitFacts exited_with(int code, Interrupt interrupt = Interrupt::kNone, bool killed = false) {
  return ExitFacts{ExitStatus{code, std::nullopt}, interrupt, killed, false, 1h};
}

ExitFacts ended_by(int signal, Interrupt interrupt = Interrupt::kNone, bool killed = false) {
  return ExitFacts{ExitStatus{std::nullopt, signal}, interrupt, killed, false, 1h};
}

Verdict failed(std::string reason) {
  return {RunStatus::kFailed, std::move(reason)};
}

TEST(RunVerdict, ExitZeroSucceedsWhateverCameBefore) {
  const Verdict ok{RunStatus::kSucceeded, "Pulumi finished successfully"};
  for (Interrupt interrupt : {Interrupt::kNone, Interrupt::kCancel, Interrupt::kTimeout}) {
    for (bool killed : {false, true}) {
      EXPECT_EQ(decide_verdict(exited_with(0, interrupt, killed)), ok);
      ExitFacts facts = exited_with(0, interrupt, killed);
      facts.stack_locked = true;
      EXPECT_EQ(decide_verdict(facts), ok);
    }
  }
}

TEST(RunVerdict, EachExitCodeOfTheReferenceHasItsReason) {
  const std::pair<int, std::string> table[] = {
      {1, "Pulumi failed (exit code 1)"},
      {2, "Pulumi refused its command line or the configuration (exit code 2)"},
      {3, "Pulumi could not authenticate (exit code 3)"},
      {4, "a resource operation failed (exit code 4)"},
      {5, "a policy was violated (exit code 5)"},
      {6, "the stack was not found (exit code 6)"},
      {7, "the operation found unexpected changes (exit code 7)"},
      {9, "Pulumi timed out (exit code 9)"},
      {10, "Pulumi failed (exit code 10)"},
      {127, "Pulumi failed (exit code 127)"},
      {255, "Pulumi failed with an internal error (exit code 255)"},
  };
  for (const auto& [code, reason] : table)
    EXPECT_EQ(decide_verdict(exited_with(code)), failed(reason)) << code;
}

TEST(RunVerdict, ExitEightIsCancelledEvenWhenTheGatewayDidNotAsk) {
  EXPECT_EQ(decide_verdict(exited_with(8)),
            (Verdict{RunStatus::kCancelled, "Pulumi cancelled the operation (exit code 8)"}));
}

TEST(RunVerdict, AnInterruptedEndAfterACancelIsCancelled) {
  const Verdict cancelled{RunStatus::kCancelled, "cancelled on request"};
  EXPECT_EQ(decide_verdict(exited_with(8, Interrupt::kCancel)), cancelled);
  EXPECT_EQ(decide_verdict(exited_with(1, Interrupt::kCancel)), cancelled);  // older CLIs
  EXPECT_EQ(decide_verdict(exited_with(9, Interrupt::kCancel)), cancelled);
  EXPECT_EQ(decide_verdict(ended_by(SIGINT, Interrupt::kCancel)), cancelled);
  const Verdict killed{
      RunStatus::kCancelled,
      "cancelled on request; Pulumi did not stop within the grace period and was killed"};
  EXPECT_EQ(decide_verdict(ended_by(SIGKILL, Interrupt::kCancel, true)), killed);
}

TEST(RunVerdict, AnInterruptedEndAfterTheTimeoutIsTimedOutWithTheTimeout) {
  ExitFacts facts = exited_with(8, Interrupt::kTimeout);
  facts.timeout = 90min;
  EXPECT_EQ(decide_verdict(facts), (Verdict{RunStatus::kTimedOut, "timed out after 1h30m"}));
  EXPECT_EQ(decide_verdict(exited_with(1, Interrupt::kTimeout)),
            (Verdict{RunStatus::kTimedOut, "timed out after 1h"}));
  EXPECT_EQ(decide_verdict(ended_by(SIGKILL, Interrupt::kTimeout, true)),
            (Verdict{RunStatus::kTimedOut,
                     "timed out after 1h; Pulumi did not stop within the grace period and was "
                     "killed"}));
}

TEST(RunVerdict, OtherFailuresDuringACancelStayFailures) {
  EXPECT_EQ(decide_verdict(exited_with(4, Interrupt::kCancel)),
            failed("a resource operation failed (exit code 4)"));
  EXPECT_EQ(decide_verdict(exited_with(2, Interrupt::kTimeout)),
            failed("Pulumi refused its command line or the configuration (exit code 2)"));
}

TEST(RunVerdict, ALockedStackIsOneFixedReasonBeforeEverythingButSuccess) {
  const Verdict locked = failed("stack is locked: another update is in progress");
  for (Interrupt interrupt : {Interrupt::kNone, Interrupt::kCancel, Interrupt::kTimeout}) {
    for (int code : {1, 8, 255}) {
      ExitFacts facts = exited_with(code, interrupt);
      facts.stack_locked = true;
      EXPECT_EQ(decide_verdict(facts), locked) << code;
    }
  }
  // A signal is not the CLI reporting a lock.
  ExitFacts facts = ended_by(SIGKILL, Interrupt::kCancel, true);
  facts.stack_locked = true;
  EXPECT_EQ(decide_verdict(facts).status, RunStatus::kCancelled);
}

TEST(RunVerdict, ASignalTheGatewayDidNotSendIsAFailure) {
  EXPECT_EQ(decide_verdict(ended_by(SIGKILL)), failed("Pulumi was ended by SIGKILL"));
  EXPECT_EQ(decide_verdict(ended_by(SIGSEGV)), failed("Pulumi was ended by SIGSEGV"));
  EXPECT_EQ(decide_verdict(ended_by(SIGINT)), failed("Pulumi was ended by SIGINT"));
}

TEST(RunVerdict, NoStatusAtAllIsAFailure) {
  EXPECT_EQ(decide_verdict(ExitFacts{}), failed("Pulumi ended without an exit status"));
  ExitFacts facts;
  facts.interrupt = Interrupt::kCancel;
  EXPECT_EQ(decide_verdict(facts), failed("Pulumi ended without an exit status"));
}

TEST(RunVerdict, FindsTheConflictAndLockedMessagesOfBothBackends) {
  EXPECT_TRUE(mentions_locked_stack(
      "Updating (dev)\nerror: [409] Conflict: Another update is currently in progress.\n"));
  EXPECT_TRUE(mentions_locked_stack(
      "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) "
      "to end or delete the lock file with `pulumi cancel`."));
  EXPECT_TRUE(mentions_locked_stack("the stack is currently locked by 3 lock(s)"));
  EXPECT_FALSE(mentions_locked_stack(""));
  EXPECT_FALSE(mentions_locked_stack("error: [409] Conflict"));
  EXPECT_FALSE(mentions_locked_stack("Another update is currently in progress"));
  EXPECT_FALSE(mentions_locked_stack("THE STACK IS CURRENTLY LOCKED BY 1 LOCK(S)"));
  EXPECT_FALSE(mentions_locked_stack("the stack is currently locke"));
}

TEST(RunVerdict, TheMarkerLengthCoversTheLongestMarker) {
  EXPECT_EQ(locked_stack_marker_bytes(),
            std::string_view("[409] Conflict: Another update is currently in progress").size());
}

TEST(RunVerdict, StatusAndSignalNames) {
  EXPECT_EQ(status_name(RunStatus::kSucceeded), "succeeded");
  EXPECT_EQ(status_name(RunStatus::kFailed), "failed");
  EXPECT_EQ(status_name(RunStatus::kCancelled), "cancelled");
  EXPECT_EQ(status_name(RunStatus::kTimedOut), "timed_out");
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(SIGUSR1), "signal " + std::to_string(SIGUSR1));
}

}  // namespace
}  // namespace sg::runs
