#include <iostream>

#include "cli/commands.hpp"
#include "common/build_info.hpp"

namespace sg::cli {

void add_version(CLI::App& root, int& exit_code) {
  CLI::App* cmd = root.add_subcommand("version", "Print the version and build of this binary");
  cmd->callback([&exit_code] {
    const BuildInfo& info = build_info();
    std::cout << "stackgate " << info.version << " (commit " << info.commit << ", "
              << info.build_type << (info.sanitized ? ", sanitizers" : "") << ")\n";
    exit_code = 0;
  });
}

}  // namespace sg::cli
