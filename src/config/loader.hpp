// Loads stackgate.yaml into a Config, reporting every problem with its file:line:column.
//
// Relative paths in the file (store, policy, project dirs, sink files, secret files) are resolved
// against the folder of the configuration file. Unknown keys are errors, with a "did you mean" when
// a known key is close. Secrets are only accepted as {env: NAME} or {file: PATH}. Secrets are not
// read here: SecretRef::resolve() does that when a service starts (or `check --resolve-secrets`).
// Pure apart from reading the one file; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "config/diagnostic.hpp"

namespace sg::config {

struct LoadResult {
  std::optional<Config> config;  // set only when diagnostics is empty
  Diagnostics diagnostics;
  // The policy file the configuration names (absolute), set whenever the `policy` key itself is
  // valid, even when other keys are not: `stackgate check` validates it alongside.
  std::string policy_path;
};

// Reads and validates the file at `path`.
LoadResult load_config_file(const std::string& path);

// Validates YAML text as if read from `path` (used by tests and by load_config_file).
LoadResult load_config_text(std::string_view text, const std::string& path);

// The built-in configuration of `serve --dev`: loopback listener, SQLite under `data_dir`, and
// demo projects acme/payments (dev, prod) and acme/web (dev). The caller sets policy_path.
Config dev_config(const std::string& data_dir);

}  // namespace sg::config
