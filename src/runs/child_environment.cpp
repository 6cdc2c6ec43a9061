#include "runs/child_environment.hpp"

#include <algorithm>
#include <cstring>

namespace sg::runs {
namespace {

bool is_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool has_nul(std::string_view s) {
  return s.find('\0') != std::string_view::npos;
}

}  // namespace

Result<Environment> build_environment(const Environment& gateway, const RunPaths& paths,
                                      const Environment& credentials) {
  if (paths.run_id.empty() || paths.run_dir.empty() || paths.pulumi_home.empty() ||
      has_nul(paths.run_id) || has_nul(paths.run_dir) || has_nul(paths.pulumi_home)) {
    return make_error(Errc::kInvalidArgument, "run id and run paths must be set and hold no NUL");
  }
  for (std::size_t i = 0; i < credentials.size(); ++i) {
    const auto& [name, value] = credentials[i];
    if (!is_name(name)) {
      // The text is not echoed: whatever it is, it is not a variable name.
      return make_error(Errc::kInvalidArgument, "credential variable " + std::to_string(i) +
                                                    " has no valid name ([A-Za-z_][A-Za-z0-9_]*)");
    }
    if (listed(kFixedVariables, name)) {
      return make_error(Errc::kInvalidArgument,
                        "a credential may not set " + name + ": the executor sets it");
    }
    if (has_nul(value)) {
      return make_error(Errc::kInvalidArgument, "credential variable " + name + " holds a NUL");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (credentials[j].first == name) {
        return make_error(Errc::kInvalidArgument, "credential variable " + name + " is set twice");
      }
    }
  }

  Environment env;
  for (std::string_view name : kPassedThroughVariables) {
    const std::string* value = find_variable(gateway, name);
    if (value == nullptr || find_variable(credentials, name) != nullptr) continue;
    if (has_nul(*value)) continue;  // cannot come from a real environment
    env.emplace_back(std::string(name), *value);
  }
  env.emplace_back("HOME", paths.run_dir);
  env.emplace_back("PULUMI_HOME", paths.pulumi_home);
  env.emplace_back("PULUMI_DEBUG_COMMANDS", "true");
  env.emplace_back("PULUMI_CI_SYSTEM", "stackgate");
  env.emplace_back("PULUMI_CI_BUILD_ID", paths.run_id);
  env.emplace_back("PULUMI_SKIP_UPDATE_CHECK", "true");
  for (const auto& variable : credentials)
    env.push_back(variable);
  return env;
}

std::vector<std::string> environment_entries(const Environment& env) {
  std::vector<std::string> entries;
  entries.reserve(env.size());
  for (const auto& [name, value] : env)
    entries.push_back(name + "=" + value);
  return entries;
}

const std::string* find_variable(const Environment& env, std::string_view name) {
  for (const auto& [n, value] : env) {
    if (n == name) return &value;
  }
  return nullptr;
}

Environment environment_from(const char* const* envp) {
  Environment env;
  for (; envp != nullptr && *envp != nullptr; ++envp) {
    const char* eq = std::strchr(*envp, '=');
    if (eq == nullptr || eq == *envp) continue;
    std::string name(*envp, eq);
    if (find_variable(env, name) != nullptr) continue;
    env.emplace_back(std::move(name), std::string(eq + 1));
  }
  return env;
}

}  // namespace sg::runs
