#include "config/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "common/small_file.hpp"
#include "config/fields.hpp"
#include "config/locations.hpp"
#include "config/sections.hpp"
#include "config/yaml_reader.hpp"

namespace sg::config {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

void read_document(Context& ctx, const YAML::Node& root, Config& cfg) {
  ObjectReader top(ctx, Value{root, "", root.Mark()}, "section");
  top.read("server", cfg.server, read_server);
  top.read("store", cfg.store, read_store);
  top.read("policy", cfg.policy_path, as_existing_file);
  top.read("issuers", cfg.issuers, read_issuers);
  top.read("tokens", cfg.tokens, read_tokens);
  top.read("pulumi", cfg.pulumi, read_pulumi);
  top.read("projects", cfg.projects, read_projects);
  top.read("catalog", cfg.catalog, read_catalog);
  top.read("audit", cfg.audit, read_audit);
}

LoadResult file_error(const std::string& path, std::string message) {
  return LoadResult{std::nullopt, {Diagnostic{path, 0, 0, std::move(message)}}, ""};
}

}  // namespace

LoadResult load_config_text(std::string_view text, const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  Context ctx(path, absolute.parent_path());
  Config cfg;
  cfg.path = absolute.string();
  cfg.store = default_store(ctx);
  read_yaml(ctx, text, "configuration",
            [&](const YAML::Node& root) { read_document(ctx, root, cfg); });
  LoadResult result;
  result.diagnostics = sorted_diagnostics(ctx);
  result.policy_path = cfg.policy_path;
  if (result.diagnostics.empty()) result.config = std::move(cfg);
  return result;
}

LoadResult load_config_file(const std::string& path) {
  auto text = read_small_file(path, kMaxConfigBytes);
  if (!text) return file_error(path, text.error().message);
  return load_config_text(*text, path);
}

Config dev_config(const std::string& data_dir) {
  Config cfg;
  cfg.path = "<dev>";
  cfg.store.kind = StoreConfig::Kind::kSqlite;
  std::error_code ec;
  cfg.store.sqlite_path = (fs::absolute(data_dir, ec) / "stackgate.db").lexically_normal().string();
  cfg.store.url = "sqlite://" + cfg.store.sqlite_path;
  // Demo stacks for trying the policy; the projects' folders do not exist.
  auto project = [&](std::string name, std::vector<StackConfig> stacks) {
    ProjectConfig p;
    p.org = "acme";
    p.name = name;
    p.dir = (fs::absolute(data_dir, ec) / "projects" / name).lexically_normal().string();
    p.stacks = std::move(stacks);
    cfg.projects.push_back(std::move(p));
  };
  project("payments",
          {{"dev", {{"team", "payments"}, {"env", "dev"}}, "group:default/payments", "", ""},
           {"prod",
            {{"team", "payments"}, {"env", "prod"}},
            "group:default/payments",
            "",
            "production"}});
  project("web", {{"dev", {{"team", "web"}, {"env", "dev"}}, "group:default/web", "", ""}});
  return cfg;
}

}  // namespace sg::config
