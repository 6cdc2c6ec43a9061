// Ending what is left of a run after the gateway that ran it died: every process whose environment
// carries the run's marker (PULUMI_CI_BUILD_ID=<run id>, which the executor gives the Pulumi CLI
// and the CLI passes on to its plugins) is killed with SIGKILL.
//
// The marker, not a remembered process id, decides: after a reboot or a long outage the old
// process-group id may belong to something else by now, and killing that would be worse than
// leaving a stray process. Processes of other users cannot be read and are left alone. `proc_root`
// is injectable for tests ("/proc" in production). Thread-safe (no state).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace sg::runs {

// The environment entry that marks a run's processes.
std::string run_marker(std::string_view run_id);

// Kills every process under `proc_root` whose environment holds run_marker(run_id); returns how
// many were signalled.
std::size_t kill_run_processes(std::string_view run_id,
                               const std::filesystem::path& proc_root = "/proc");

}  // namespace sg::runs
