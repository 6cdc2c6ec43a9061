#include "runs/child_command.hpp"

#include <utility>

namespace sg::runs {

Result<std::vector<std::string>> build_argv(const CommandLine& line) {
  const std::pair<std::string_view, const std::string*> required[] = {
      {"program", &line.program},
      {"stack", &line.stack},
      {"project directory", &line.project_dir},
      {"event log", &line.event_log},
  };
  for (const auto& [what, value] : required) {
    if (value->empty()) {
      return make_error(Errc::kInvalidArgument, "the pulumi " + std::string(what) + " is empty");
    }
    if (value->find('\0') != std::string::npos) {
      return make_error(Errc::kInvalidArgument,
                        "the pulumi " + std::string(what) + " holds a NUL byte");
    }
  }
  if (line.message.find('\0') != std::string::npos) {
    return make_error(Errc::kInvalidArgument, "the run message holds a NUL byte");
  }
  std::vector<std::string> argv = {
      line.program,
      std::string(operation_name(line.operation)),
      "--stack",
      line.stack,
      "--cwd",
      line.project_dir,
      "--non-interactive",
  };
  if (line.operation != Operation::kPreview) argv.push_back("--yes");
  for (const char* arg : {"--color", "never", "--event-log"})
    argv.push_back(arg);
  argv.push_back(line.event_log);
  // One element, so a message that starts with '-' can never be read as a flag.
  if (!line.message.empty()) argv.push_back("--message=" + line.message);
  return argv;
}

}  // namespace sg::runs
