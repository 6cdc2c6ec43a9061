// The `projects` section: the Pulumi projects and stacks the gateway runs.
#include "config/fields.hpp"
#include "config/locations.hpp"
#include "config/sections.hpp"

namespace sg::config {
namespace {

constexpr std::string_view kNamePattern = "[A-Za-z0-9._-]+";

StackConfig read_stack(Context& ctx, const Value& v, UniqueValues& names) {
  StackConfig s;
  ObjectReader r(ctx, v);
  r.read("name", s.name, name_like(kNamePattern, is_name_char), Need::kRequired);
  r.read("tags", s.tags, as_string_map);
  r.read("owner", s.owner, as_string);
  r.read("system", s.system, as_string);
  r.read("lifecycle", s.lifecycle, as_string);
  names.check(r, "name", s.name);
  return s;
}

ProjectConfig read_project(Context& ctx, const Value& v, UniqueValues& ids) {
  ProjectConfig p;
  ObjectReader r(ctx, v);
  r.read("org", p.org, name_like(kNamePattern, is_name_char), Need::kRequired);
  r.read("name", p.name, name_like(kNamePattern, is_name_char), Need::kRequired);
  r.read("dir", p.dir, as_existing_dir, Need::kRequired);
  if (auto stacks = r.get("stacks")) {
    UniqueValues names("stack name");
    for (const Value& item : list_items(ctx, *stacks))
      p.stacks.push_back(read_stack(ctx, item, names));
  }
  r.read("credentials", p.credentials, read_credentials);
  if (p.credentials.pulumi_oidc && p.credentials.pulumi_oidc->org.empty()) {
    p.credentials.pulumi_oidc->org = p.org;
  }
  if (!p.org.empty() && !p.name.empty()) ids.check(r, "name", p.org + "/" + p.name);
  return p;
}

}  // namespace

std::optional<std::vector<ProjectConfig>> read_projects(Context& ctx, const Value& v) {
  std::vector<ProjectConfig> projects;
  UniqueValues ids("project");
  for (const Value& item : list_items(ctx, v))
    projects.push_back(read_project(ctx, item, ids));
  return projects;
}

}  // namespace sg::config
