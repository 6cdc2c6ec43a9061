#include <iostream>

#include "cli/commands.hpp"
#include "cli/loaded_policy.hpp"
#include "config/config.hpp"

namespace sg::cli {
namespace {

struct CheckOptions {
  std::string config_path;
  bool resolve_secrets = false;
};

// Every secret reference in the configuration, with where it is used, for --resolve-secrets.
std::vector<std::pair<std::string, config::SecretRef>> secret_refs(const config::Config& c) {
  std::vector<std::pair<std::string, config::SecretRef>> refs;
  auto add = [&refs](std::string where, const std::optional<config::SecretRef>& ref) {
    if (ref) refs.emplace_back(std::move(where), *ref);
  };
  for (const auto& i : c.issuers)
    add("issuers." + i.name + ".secret", i.secret);
  add("tokens.key_encryption_key", c.tokens.key_encryption_key);
  for (const auto& p : c.projects) {
    std::string where = "projects." + p.org + "/" + p.name + ".credentials.";
    if (p.credentials.pulumi_token) add(where + "pulumi.token", p.credentials.pulumi_token->token);
    if (p.credentials.backend) add(where + "backend.passphrase", p.credentials.backend->passphrase);
  }
  add("catalog.token", c.catalog.token);
  for (const auto& s : c.audit.sinks)
    add("audit.sinks.webhook.token", s.token);
  return refs;
}

int run_check(const CheckOptions& o) {
  LoadedPolicy loaded = load_config_and_policy(o.config_path, std::cerr);
  if (!loaded.ok) return 1;
  if (loaded.policy_path.empty()) {
    std::cerr << o.config_path << ": warning: no policy configured: every request will be denied\n";
  }
  int failures = 0;
  if (o.resolve_secrets) {
    for (const auto& [where, ref] : secret_refs(*loaded.config)) {
      auto value = ref.resolve();
      if (!value) {
        std::cerr << o.config_path << ": " << where << ": " << value.error().message << "\n";
        ++failures;
      }
    }
  }
  if (failures > 0) return 1;
  std::cout << o.config_path << ": OK\n";
  if (loaded.policy) {
    const policy::Policy& p = *loaded.policy;
    std::cout << loaded.policy_path << ": OK (" << p.roles().size() << " roles, " << p.rule_count()
              << " rules, " << p.bindings().size() << " bindings)\n";
  }
  return 0;
}

}  // namespace

void add_check(CLI::App& root, int& exit_code) {
  auto opts = std::make_shared<CheckOptions>();
  CLI::App* cmd = root.add_subcommand(
      "check",
      "Validate a configuration file and the policy it names (and the other files it names); "
      "print every error of both as file:line:column: message and exit 1 if there is any");
  cmd->add_option("--config,-c", opts->config_path, "Path of stackgate.yaml")->required();
  cmd->add_flag("--resolve-secrets", opts->resolve_secrets,
                "Also check that every {env} and {file} secret can be read here");
  cmd->callback([opts, &exit_code] { exit_code = run_check(*opts); });
}

}  // namespace sg::cli
