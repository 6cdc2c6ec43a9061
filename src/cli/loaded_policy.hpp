// Loads stackgate.yaml and the policy file it names, for `check`, `policy eval` and `policy test`.
//
// Every diagnostic of both files is printed to `err` as file:line:column: message — the
// configuration's first, then the policy's — followed by one "N errors in FILE" line per broken
// file. The policy is loaded even when the configuration has other errors, as long as its `policy`
// key is valid, so one run shows every problem. Used by the subcommands only; not thread-safe
// (writes to the stream it is given).
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "config/config.hpp"
#include "policy/policy.hpp"

namespace sg::cli {

struct LoadedPolicy {
  std::optional<config::Config> config;          // set when the configuration is valid
  std::string policy_path;                       // "" when the configuration names no policy
  std::shared_ptr<const policy::Policy> policy;  // set when that policy is valid
  bool ok = false;                               // neither file had a diagnostic
};

LoadedPolicy load_config_and_policy(const std::string& config_path, std::ostream& err);

}  // namespace sg::cli
