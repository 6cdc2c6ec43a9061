// A fixture for Execution against the Pulumi stand-in: a project folder with a scenario, a fresh
// run directory per execution, an injected gateway environment, and the events and output the
// callbacks saw. Test-only; the fixture is used by the test's thread, the callbacks by run()'s.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "runs/execution.hpp"
#include "runs/posix_process_spawner.hpp"
#include "runs/run_test_support.hpp"

namespace sg::runs::testing {

struct SeenEvent {
  std::int64_t sequence = 0;
  std::string kind;
  std::string line;
};

class ExecutionFixture : public ::testing::Test {
 protected:
  ExecutionFixture() {
    project_ = tmp_.mkdir("project");
    tmp_.write("project/Pulumi.yaml", "name: payments\nruntime: nodejs\n");
    const char* path = std::getenv("PATH");
    // node must be on the child's PATH: the stand-in starts with `#!/usr/bin/env node`.
    gateway_env_ = {
        {"HOME", "/root"},
        {"PATH", path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin"},
        {"LANG", "C.UTF-8"},
        {"TZ", "UTC"},
        {"AWS_SECRET_ACCESS_KEY", "gateway-aws-secret-do-not-pass"},
        {"STACKGATE_KEK", "gateway-kek-do-not-pass"},
        {"PULUMI_ACCESS_TOKEN", "pul-gateway-token-do-not-pass"},
        {"PULUMI_HOME", "/root/.pulumi"},
    };
  }

  void scenario(std::string_view json) { tmp_.write("project/standin.json", json); }

  // A request for the stand-in with a fresh run directory `runs/<name>`.
  ExecutionRequest request(Operation op, const std::string& name = "r1") {
    ExecutionRequest r;
    r.run_id = "run-" + name;
    r.operation = op;
    r.stack = "dev";
    r.command = kStandin;
    r.project_dir = project_;
    r.run_dir = tmp_.mkdir("runs/" + name);
    r.timeout = std::chrono::milliseconds(0);
    r.cancel_grace = std::chrono::seconds(60);
    r.max_output_bytes = 1024 * 1024;
    return r;
  }

  ExecutionCallbacks recording() {
    ExecutionCallbacks callbacks;
    callbacks.on_event = [this](const EngineEvent& event, std::string_view line) {
      std::lock_guard lock(mu_);
      events_.push_back(SeenEvent{event.sequence, event.kind_text, std::string(line)});
    };
    callbacks.on_output = [this](OutputStream stream, std::string_view bytes) {
      std::lock_guard lock(mu_);
      (stream == OutputStream::kStdout ? stdout_seen_ : stderr_seen_).append(bytes);
    };
    return callbacks;
  }

  std::vector<std::string> kinds() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& e : events_)
      out.push_back(e.kind);
    return out;
  }

  std::vector<boost::json::object> records() {
    return read_json_lines(project_ + "/.standin-record.json");
  }

  static std::vector<std::string> entries_of(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      names.push_back(entry.path().filename().string());
    return names;
  }

  TempDir tmp_;
  std::string project_;
  Environment gateway_env_;
  PosixProcessSpawner spawner_;
  SystemClock clock_;
  std::mutex mu_;
  std::vector<SeenEvent> events_;
  std::string stdout_seen_;
  std::string stderr_seen_;
};

}  // namespace sg::runs::testing
