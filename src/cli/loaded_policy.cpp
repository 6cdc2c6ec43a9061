#include "cli/loaded_policy.hpp"

#include "config/loader.hpp"
#include "policy/policy_loader.hpp"

namespace sg::cli {
namespace {

void print(const config::Diagnostics& diagnostics, std::ostream& err) {
  for (const config::Diagnostic& d : diagnostics)
    err << d.to_string() << "\n";
}

void summarise(std::size_t errors, const std::string& file, std::ostream& err) {
  if (errors > 0) err << errors << (errors == 1 ? " error" : " errors") << " in " << file << "\n";
}

}  // namespace

LoadedPolicy load_config_and_policy(const std::string& config_path, std::ostream& err) {
  config::LoadResult loaded = config::load_config_file(config_path);
  LoadedPolicy out;
  out.policy_path = loaded.policy_path;
  policy::PolicyLoadResult policy;
  if (!out.policy_path.empty()) policy = policy::load_policy_file(out.policy_path);
  print(loaded.diagnostics, err);
  print(policy.diagnostics, err);
  summarise(loaded.diagnostics.size(), config_path, err);
  summarise(policy.diagnostics.size(), out.policy_path, err);
  out.config = std::move(loaded.config);
  out.policy = std::move(policy.policy);
  out.ok = loaded.diagnostics.empty() && policy.diagnostics.empty();
  return out;
}

}  // namespace sg::cli
