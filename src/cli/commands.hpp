// The stackgate subcommands, one file each. Each add_* registers its subcommand, options and help
// on the root CLI11 app; when the subcommand runs, it stores the process exit code in `exit_code`.
// Errors go to stderr, results to stdout. Used from main() only.
#pragma once

#include <CLI/CLI.hpp>

namespace sg::cli {

void add_serve(CLI::App& root, int& exit_code);
void add_check(CLI::App& root, int& exit_code);
void add_version(CLI::App& root, int& exit_code);
void add_token(CLI::App& root, int& exit_code);
void add_token_mint(CLI::App& token, int& exit_code);  // `token mint`, under add_token's command
void add_policy(CLI::App& root, int& exit_code);
void add_audit(CLI::App& root, int& exit_code);
void add_keys(CLI::App& root, int& exit_code);

}  // namespace sg::cli
