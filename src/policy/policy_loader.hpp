// Loads policy.yaml into a compiled Policy, reporting every problem with its file:line:column.
//
// The language is in docs/policy.md. Errors are collected rather than stopping at the first:
// unknown keys (with a "did you mean"), unknown actions, unknown roles in bindings and approvals,
// duplicate role names, bad globs, stack globs that can never match an "org/project/stack",
// bad templates, `audit` granted anywhere but `stacks: ["*"]`. Bounds: kMaxPolicyBytes of text,
// and the counts below. Reads through config/yaml_reader.hpp, so policy and configuration errors
// look alike. Pure apart from reading the one file; thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "config/diagnostic.hpp"
#include "policy/policy.hpp"

namespace sg::policy {

inline constexpr std::size_t kMaxPolicyBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxRoles = 100'000;
inline constexpr std::size_t kMaxRulesPerRole = 100'000;
inline constexpr std::size_t kMaxBindings = 100'000;
inline constexpr std::size_t kMaxListItems = 1'000;  // stacks, values, actions, roles per entry
inline constexpr unsigned kMaxApprovals = 100;

struct PolicyLoadResult {
  std::shared_ptr<const Policy> policy;  // set only when diagnostics is empty
  config::Diagnostics diagnostics;
};

// Reads and compiles the file at `path`.
PolicyLoadResult load_policy_file(const std::string& path);

// Compiles YAML text as if read from `path`.
PolicyLoadResult load_policy_text(std::string_view text, const std::string& path);

}  // namespace sg::policy
