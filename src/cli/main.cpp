// stackgate: the identity-aware gateway for self-service infrastructure. This file only wires the
// subcommands; each lives in its own file.
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "cli/commands.hpp"

namespace {

// Commands whose exit code 1 means an answer (`audit`: the log is broken), so that their usage
// errors are 2; `keys` follows the same convention.
bool is_exit2_command(std::string_view name) {
  return name == "audit" || name == "keys";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App root{
      "stackgate: an identity-aware gateway between people, CI jobs and agents, and Pulumi."};
  root.require_subcommand(1);
  root.set_help_all_flag("--help-all", "Show help for every subcommand");
  int exit_code = 0;
  sg::cli::add_serve(root, exit_code);
  sg::cli::add_check(root, exit_code);
  sg::cli::add_token(root, exit_code);
  sg::cli::add_policy(root, exit_code);
  sg::cli::add_audit(root, exit_code);
  sg::cli::add_keys(root, exit_code);
  sg::cli::add_version(root, exit_code);
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const CLI::App* sub : root.get_subcommands({})) {
      known = known || sub->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::cerr << "stackgate: unknown command '" << argv[1] << "'; commands: " << names << "\n";
      return 2;
    }
  }
  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = root.exit(e);
    // `policy eval` gives exit codes 2 and 3 a meaning (deny, approval required): under `policy`,
    // every usage error is 1.
    if (code != 0 && argc > 1 && std::string_view(argv[1]) == "policy") return 1;
    // `audit` gives exit code 1 a meaning (the log is broken): under `audit`, every usage error
    // is 2; `keys` follows the same convention.
    if (code != 0 && argc > 1 && is_exit2_command(argv[1])) return 2;
    return code;
  } catch (const std::exception& e) {
    std::cerr << "stackgate: " << e.what() << "\n";
    return argc > 1 && is_exit2_command(argv[1]) ? 2 : 1;
  }
  return exit_code;
}
