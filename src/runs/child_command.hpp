// The command line of one Pulumi operation, as DESIGN.md ("Run lifecycle") gives it:
//
//   <pulumi> <op> --stack S --cwd DIR --non-interactive --yes --color never --event-log FILE
//            [--message=M]
//
// with two rules from the CLI itself (../shared/reference/pulumi.md): `preview` has no `--yes`
// (the real CLI and the stand-in refuse it as an unknown flag), and `--skip-preview` is never
// passed, so up, refresh and destroy keep Pulumi's own preview step. `--message` is passed when
// the requester gave one, for every operation (preview, up, refresh and destroy all take it;
// Pulumi Cloud shows it on the update), in the `--message=M` form so that a message starting with
// '-' is never taken for a flag. Each value is one argv element: no shell, no quoting.
// `--event-log` works only with PULUMI_DEBUG_COMMANDS=true in the environment (child_environment).
//
// Owner: runs. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "runs/run_status.hpp"  // Operation, operation_name: the CLI subcommand names

namespace sg::runs {

struct CommandLine {
  std::string program;  // argv[0]: pulumi.command as configured
  Operation operation = Operation::kPreview;
  std::string stack;        // --stack, e.g. "acme/payments/prod"
  std::string project_dir;  // --cwd
  std::string event_log;    // --event-log
  std::string message;      // --message; empty: none
};

// The argv above. Errors: kInvalidArgument when program, stack, project_dir or event_log is
// empty, or any value holds a NUL byte (it would cut the argument short).
Result<std::vector<std::string>> build_argv(const CommandLine& line);

}  // namespace sg::runs
