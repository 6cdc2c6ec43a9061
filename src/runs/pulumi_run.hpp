// PulumiRun is the run service's RunExecution backed by the real executor (runs/execution.hpp):
// the Pulumi CLI as a child process with the settings of the `pulumi:` configuration.
//
// make_pulumi_runs() returns the factory the app gives the run service. The settings, the
// gateway's environment (captured once at start-up, the source of the child's allow-list), the
// spawner and the clock are borrowed and must outlive every run. Thread-safety: as Execution —
// run() from the service's worker, cancel() from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/clock.hpp"
#include "runs/child_environment.hpp"
#include "runs/process_spawner.hpp"
#include "runs/run_service.hpp"

namespace sg::runs {

struct PulumiSettings {
  std::string command = "pulumi";
  std::chrono::milliseconds run_timeout{3'600'000};
  std::chrono::milliseconds cancel_grace{30'000};
  std::size_t max_output_bytes = 1 << 20;
};

RunExecutionFactory make_pulumi_runs(const PulumiSettings& settings, const Environment& gateway_env,
                                     ProcessSpawner& spawner, const Clock& clock);

}  // namespace sg::runs
