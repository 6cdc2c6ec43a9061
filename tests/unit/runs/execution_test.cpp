// Execution against the real Pulumi stand-in (tests/pulumi-standin/pulumi) with the real
// PosixProcessSpawner: outcomes, events, environment, PULUMI_HOME, output bounds, spawn failures.
// Cancel and timeout are in execution_cancel_test.cpp.
#include "runs/execution.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audit/sha256.hpp"
#include "runs/execution_test_support.hpp"

namespace sg::runs {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

class ExecutionTest : public testing::ExecutionFixture {
 protected:
  ExecutionOutcome run_ok(ExecutionRequest r) {
    Execution execution(std::move(r), gateway_env_, spawner_, clock_, recording());
    auto outcome = execution.run();
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return outcome.ok() ? std::move(*outcome) : ExecutionOutcome{};
  }
};

// What the stand-in prints with filler_bytes (see its filler()).
std::string filler(std::size_t n) {
  const std::string line = "standin filler output 0123456789abcdefghijklmnopqrstuvwxyz\n";
  std::string out;
  while (out.size() < n)
    out += line;
  out.resize(n);
  return out;
}

Strings json_strings(const boost::json::value& v) {
  Strings out;
  for (const auto& s : v.as_array())
    out.emplace_back(s.as_string());
  return out;
}

TEST_F(ExecutionTest, UpSucceedsAndDeliversEveryEventInOrder) {
  scenario(R"({"resources": [{"type": "aws:s3/bucket:Bucket", "name": "logs"},
                             {"type": "aws:s3/bucket:Bucket", "name": "assets", "op": "update"}],
               "program_output": ["hello"]})");
  ExecutionRequest r = request(Operation::kUp);
  r.message = "deploy v2";
  const std::string run_dir = r.run_dir;
  const ExecutionOutcome out = run_ok(r);

  EXPECT_EQ(out.status, RunStatus::kSucceeded);
  EXPECT_EQ(out.reason, "Pulumi finished successfully");
  EXPECT_EQ(out.exit, (ExitStatus{0, std::nullopt}));
  EXPECT_FALSE(out.cancelled || out.timed_out || out.killed);
  EXPECT_EQ(kinds(),
            (Strings{"preludeEvent", "stdoutEvent", "resourcePreEvent", "resOutputsEvent",
                     "resourcePreEvent", "resOutputsEvent", "summaryEvent", "cancelEvent"}));
  for (std::size_t i = 0; i < events_.size(); ++i) {
    EXPECT_EQ(events_[i].sequence, static_cast<std::int64_t>(i));
    auto reparsed = parse_engine_event(events_[i].line);
    ASSERT_TRUE(reparsed.ok()) << events_[i].line;
    EXPECT_EQ(reparsed->sequence, events_[i].sequence);
    EXPECT_EQ(reparsed->kind_text, events_[i].kind);
  }
  EXPECT_EQ(out.summary.result(), RunResult::kSucceeded);
  EXPECT_EQ(out.summary.resource_changes(),
            (std::map<std::string, std::int64_t>{{"create", 1}, {"update", 1}}));
  EXPECT_TRUE(out.summary.changes_from_summary());
  EXPECT_EQ(out.summary.is_preview(), false);
  EXPECT_EQ(out.summary.events(), 8);
  EXPECT_EQ(out.summary.malformed_lines(), 0);
  EXPECT_TRUE(out.summary.cancel_event_seen());
  EXPECT_EQ(out.stdout_tail.text().substr(0, 26), "Updating (dev)\n\n    hello\n");
  EXPECT_EQ(out.stdout_tail.text(), stdout_seen_);
  EXPECT_EQ(out.stderr_tail.text(), "");
  EXPECT_EQ(out.event_log_error, "");
  EXPECT_EQ(out.cleanup_error, "");
  EXPECT_LE(out.started, out.finished);

  const auto recs = records();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(
      json_strings(recs[0].at("argv")),
      (Strings{"up", "--stack", "dev", "--cwd", project_, "--non-interactive", "--yes", "--color",
               "never", "--event-log", run_dir + "/events.jsonl", "--message=deploy v2"}));
  EXPECT_EQ(recs[0].at("start_dir").as_string(), fs::canonical(run_dir).string());
  // The run directory is left to the caller, empty.
  EXPECT_TRUE(fs::is_directory(run_dir));
  EXPECT_EQ(entries_of(run_dir), Strings{});
}

TEST_F(ExecutionTest, PreviewRunsWithoutYesAndTakesTheMessage) {
  scenario(R"({"resources": [{"type": "aws:s3/bucket:Bucket", "name": "logs"}]})");
  ExecutionRequest r = request(Operation::kPreview);
  r.message = "what would change?";
  const ExecutionOutcome out = run_ok(r);
  EXPECT_EQ(out.status, RunStatus::kSucceeded) << out.reason << out.stderr_tail.text();
  EXPECT_EQ(out.summary.is_preview(), true);
  EXPECT_EQ(out.summary.resource_changes(), (std::map<std::string, std::int64_t>{{"create", 1}}));
  const auto recs = records();
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(json_strings(recs[0].at("argv")),
            (Strings{"preview", "--stack", "dev", "--cwd", project_, "--non-interactive", "--color",
                     "never", "--event-log", r.run_dir + "/events.jsonl",
                     "--message=what would change?"}));
}

TEST_F(ExecutionTest, RefreshAndDestroyRunWithTheirOwnSteps) {
  scenario(R"({"resources": [{"type": "aws:s3/bucket:Bucket", "name": "logs"}]})");
  ExecutionOutcome out = run_ok(request(Operation::kRefresh, "refresh"));
  EXPECT_EQ(out.status, RunStatus::kSucceeded) << out.reason;
  EXPECT_EQ(out.summary.resource_changes(), (std::map<std::string, std::int64_t>{{"refresh", 1}}));
  out = run_ok(request(Operation::kDestroy, "destroy"));
  EXPECT_EQ(out.status, RunStatus::kSucceeded) << out.reason;
  EXPECT_EQ(out.summary.resource_changes(), (std::map<std::string, std::int64_t>{{"delete", 1}}));
}

TEST_F(ExecutionTest, AFailingResourceFailsTheRun) {
  scenario(R"({"resources": [{"type": "aws:s3/bucket:Bucket", "name": "logs"},
                             {"type": "aws:s3/bucket:Bucket", "name": "bad", "fail": true}]})");
  const ExecutionOutcome out = run_ok(request(Operation::kUp));
  EXPECT_EQ(out.status, RunStatus::kFailed);
  EXPECT_EQ(out.reason, "a resource operation failed (exit code 4)");
  EXPECT_EQ(out.exit, (ExitStatus{4, std::nullopt}));
  EXPECT_EQ(out.summary.result(), RunResult::kFailed);
  EXPECT_EQ(out.summary.failed_steps(), 1);
  EXPECT_EQ(out.summary.last_error(), "create of bad failed (stand-in)");
  EXPECT_EQ(out.summary.resource_changes(), (std::map<std::string, std::int64_t>{{"create", 1}}));
  EXPECT_EQ(out.stderr_tail.text(), "error: update failed\n");
}

TEST_F(ExecutionTest, TheExitCodeDecidesTheReason) {
  scenario(R"({"exit_code": 3})");
  ExecutionOutcome out = run_ok(request(Operation::kUp, "auth"));
  EXPECT_EQ(out.status, RunStatus::kFailed);
  EXPECT_EQ(out.reason, "Pulumi could not authenticate (exit code 3)");
  EXPECT_EQ(out.exit, (ExitStatus{3, std::nullopt}));

  scenario(R"({"stack_not_found": true})");
  out = run_ok(request(Operation::kUp, "missing"));
  EXPECT_EQ(out.status, RunStatus::kFailed);
  EXPECT_EQ(out.reason, "the stack was not found (exit code 6)");
  EXPECT_EQ(out.exit, (ExitStatus{6, std::nullopt}));
  EXPECT_EQ(out.summary.events(), 0);
  EXPECT_EQ(out.summary.result(), RunResult::kUnknown);
  EXPECT_EQ(out.stderr_tail.text(), "error: no stack named 'dev' found\n");
}

TEST_F(ExecutionTest, AConcurrentUpdateIsALockedStackEvenWhenItsMessageLeftTheTail) {
  scenario(R"({"conflict": true, "stderr_bytes": 100000})");
  ExecutionRequest r = request(Operation::kUp, "conflict");
  r.max_output_bytes = 1024;
  ExecutionOutcome out = run_ok(r);
  EXPECT_EQ(out.status, RunStatus::kFailed);
  EXPECT_EQ(out.reason, kStackLockedReason);
  EXPECT_EQ(out.reason, "stack is locked: another update is in progress");
  EXPECT_EQ(out.exit, (ExitStatus{1, std::nullopt}));
  EXPECT_EQ(out.summary.events(), 0);
  EXPECT_EQ(out.stderr_tail.text().find("409"), std::string_view::npos);  // dropped from the tail
  EXPECT_EQ(
      stderr_seen_.rfind("error: [409] Conflict: Another update is currently in progress.\n", 0),
      0u);
}

TEST_F(ExecutionTest, ALockedSelfManagedStackHasTheSameFixedReason) {
  scenario(R"({"locked": true})");
  const ExecutionOutcome out = run_ok(request(Operation::kDestroy));
  EXPECT_EQ(out.status, RunStatus::kFailed);
  EXPECT_EQ(out.reason, "stack is locked: another update is in progress");
  EXPECT_EQ(out.exit, (ExitStatus{1, std::nullopt}));
  EXPECT_NE(out.stderr_tail.text().find("the stack is currently locked by 1 lock(s)"),
            std::string_view::npos);
}

TEST_F(ExecutionTest, TheChildGetsTheAllowListTheFixedVariablesAndTheCredentialsOnly) {
  ExecutionRequest r = request(Operation::kUp, "env");
  r.run_id = "run-7f3a";
  r.credentials = {{"PULUMI_ACCESS_TOKEN", "pul-run-token-0123456789"},
                   {"AWS_REGION", "eu-west-1"}};
  const ExecutionOutcome out = run_ok(r);
  ASSERT_EQ(out.status, RunStatus::kSucceeded) << out.reason << out.stderr_tail.text();

  const auto recs = records();
  ASSERT_EQ(recs.size(), 1u);
  const boost::json::object& env = recs[0].at("env").as_object();
  std::set<std::string> names;
  for (const auto& kv : env)
    names.insert(std::string(kv.key()));
  EXPECT_EQ(names, (std::set<std::string>{"PATH", "LANG", "TZ", "HOME", "PULUMI_HOME",
                                          "PULUMI_DEBUG_COMMANDS", "PULUMI_CI_SYSTEM",
                                          "PULUMI_CI_BUILD_ID", "PULUMI_SKIP_UPDATE_CHECK",
                                          "PULUMI_ACCESS_TOKEN", "AWS_REGION"}));
  EXPECT_EQ(env.at("PATH").as_string(), *find_variable(gateway_env_, "PATH"));
  EXPECT_EQ(env.at("HOME").as_string(), r.run_dir);
  EXPECT_EQ(env.at("PULUMI_HOME").as_string(), r.run_dir + "/home");
  EXPECT_EQ(env.at("PULUMI_DEBUG_COMMANDS").as_string(), "true");
  EXPECT_EQ(env.at("PULUMI_CI_SYSTEM").as_string(), "stackgate");
  EXPECT_EQ(env.at("PULUMI_CI_BUILD_ID").as_string(), "run-7f3a");
  EXPECT_EQ(env.at("PULUMI_SKIP_UPDATE_CHECK").as_string(), "true");
  EXPECT_EQ(env.at("AWS_REGION").as_string(), "eu-west-1");
  // The stand-in records a hash of secret-looking values: the run's token, not the gateway's.
  EXPECT_EQ(env.at("PULUMI_ACCESS_TOKEN").as_string(),
            "sha256:" + audit::sha256_hex({"pul-run-token-0123456789"}));
  const std::string record_text = testing::read_file(project_ + "/.standin-record.json");
  EXPECT_EQ(record_text.find("do-not-pass"), std::string::npos);
  EXPECT_EQ(record_text.find(audit::sha256_hex({"pul-gateway-token-do-not-pass"})),
            std::string::npos);

  // PULUMI_HOME was private while Pulumi ran, and is gone now.
  const boost::json::object& home = recs[0].at("pulumi_home").as_object();
  EXPECT_EQ(home.at("path").as_string(), r.run_dir + "/home");
  EXPECT_TRUE(home.at("exists").as_bool());
  EXPECT_EQ(home.at("mode").as_string(), "0700");
  EXPECT_TRUE(home.at("is_0700").as_bool());
  EXPECT_FALSE(fs::exists(r.run_dir + "/home"));
  EXPECT_FALSE(fs::exists(r.run_dir + "/events.jsonl"));
}

TEST_F(ExecutionTest, ACredentialSettingAFixedVariableIsRefusedBeforeAnythingStarts) {
  ExecutionRequest r = request(Operation::kUp);
  r.credentials = {{"PULUMI_HOME", "/tmp/shared-home"}};
  Execution execution(r, gateway_env_, spawner_, clock_);
  auto outcome = execution.run();
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error(),
            make_error(Errc::kInvalidArgument,
                       "a credential may not set PULUMI_HOME: the executor sets it"));
  EXPECT_FALSE(fs::exists(project_ + "/.standin-record.json"));
  EXPECT_EQ(entries_of(r.run_dir), Strings{});
}

TEST_F(ExecutionTest, TwoExecutionsAtOnceEachHaveTheirOwnPulumiHome) {
  std::vector<ExecutionRequest> requests = {request(Operation::kUp, "a"),
                                            request(Operation::kPreview, "b")};
  std::vector<Result<ExecutionOutcome>> outcomes(2, make_error(Errc::kInternal, "not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      Execution execution(requests[i], gateway_env_, spawner_, clock_);
      outcomes[i] = execution.run();
    });
  }
  for (auto& t : threads)
    t.join();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(outcomes[i].ok()) << outcomes[i].error().message;
    EXPECT_EQ(outcomes[i]->status, RunStatus::kSucceeded) << outcomes[i]->reason;
  }
  const auto recs = records();
  ASSERT_EQ(recs.size(), 2u);
  std::set<std::string> homes;
  for (const auto& rec : recs) {
    const auto& home = rec.at("pulumi_home").as_object();
    EXPECT_TRUE(home.at("is_0700").as_bool());
    homes.insert(std::string(home.at("path").as_string()));
  }
  EXPECT_EQ(homes,
            (std::set<std::string>{requests[0].run_dir + "/home", requests[1].run_dir + "/home"}));
  for (const auto& r : requests)
    EXPECT_EQ(entries_of(r.run_dir), Strings{});
}

TEST_F(ExecutionTest, OutputIsBoundedToItsLastBytes) {
  scenario(R"({"stdout_bytes": 300000, "stderr_bytes": 200000})");
  ExecutionRequest r = request(Operation::kUp);
  r.max_output_bytes = 4096;
  const ExecutionOutcome out = run_ok(r);
  ASSERT_EQ(out.status, RunStatus::kSucceeded) << out.reason;
  // The callbacks saw everything; the tails kept the last 4096 bytes and counted the rest.
  EXPECT_EQ(stderr_seen_, filler(200000));
  EXPECT_EQ(out.stderr_tail.text(), filler(200000).substr(200000 - 4096));
  EXPECT_EQ(out.stderr_tail.dropped(), 200000u - 4096u);
  ASSERT_GT(stdout_seen_.size(), 300000u);
  EXPECT_EQ(out.stdout_tail.text(), filler(300000).substr(300000 - 4096));
  EXPECT_EQ(out.stdout_tail.dropped(), stdout_seen_.size() - 4096);
}

TEST_F(ExecutionTest, ACommandNameIsLookedUpOnTheChildsPath) {
  gateway_env_[1].second =
      fs::path(testing::kStandin).parent_path().string() + ":" + gateway_env_[1].second;
  ExecutionRequest r = request(Operation::kUp);
  r.command = "pulumi";
  const ExecutionOutcome out = run_ok(r);
  EXPECT_EQ(out.status, RunStatus::kSucceeded) << out.reason;
  EXPECT_EQ(records().size(), 1u);
}

TEST_F(ExecutionTest, ACommandThatCannotRunFailsTheRunNamingIt) {
  const std::string text = tmp_.write("bin/pulumi-text", "not a program");
  const std::pair<std::string, std::string> cases[] = {
      {"/nonexistent/pulumi", "pulumi command not found: /nonexistent/pulumi"},
      {"pulumi-not-installed", "pulumi command not found: pulumi-not-installed"},
      {text, "pulumi command is not executable: " + text},
  };
  int n = 0;
  for (const auto& [command, reason] : cases) {
    ExecutionRequest r = request(Operation::kUp, "missing-" + std::to_string(n++));
    r.command = command;
    const ExecutionOutcome out = run_ok(r);
    EXPECT_EQ(out.status, RunStatus::kFailed);
    EXPECT_EQ(out.reason, reason);
    EXPECT_EQ(out.exit, ExitStatus{});
    EXPECT_EQ(entries_of(r.run_dir), Strings{});
  }
}

TEST_F(ExecutionTest, TheRunDirectoryMustExistAndBeFresh) {
  ExecutionRequest r = request(Operation::kUp);
  tmp_.write("runs/r1/home/credentials.json", "{}");
  Execution stale(r, gateway_env_, spawner_, clock_);
  auto outcome = stale.run();
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error(), make_error(Errc::kIo, "run directory " + r.run_dir +
                                                       " is not fresh: cannot create home: "
                                                       "File exists"));
  EXPECT_TRUE(fs::exists(r.run_dir + "/home/credentials.json"));  // not ours: left alone

  r.run_dir = tmp_.str("runs/never-made");
  Execution missing(r, gateway_env_, spawner_, clock_);
  outcome = missing.run();
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error(), make_error(Errc::kIo, "cannot open run directory " + r.run_dir +
                                                       ": No such file or directory"));
  EXPECT_FALSE(fs::exists(project_ + "/.standin-record.json"));
}

TEST_F(ExecutionTest, AnExecutionRunsOnce) {
  Execution execution(request(Operation::kUp), gateway_env_, spawner_, clock_);
  ASSERT_TRUE(execution.run().ok());
  EXPECT_EQ(execution.run().error(), make_error(Errc::kInternal, "an execution runs once"));
}

}  // namespace
}  // namespace sg::runs
