#include "policy/policy_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "common/small_file.hpp"
#include "config/fields.hpp"
#include "config/suggest.hpp"
#include "config/yaml_reader.hpp"

namespace sg::policy {
namespace {

using config::Context;
using config::Need;
using config::ObjectReader;
using config::Value;

constexpr std::array<std::string_view, 7> kStackAttributeNames = {
    "tag.<name>", "owner", "org", "project", "stack", "system", "lifecycle"};
constexpr std::array<std::string_view, 8> kPrincipalAttributeNames = {
    "subject", "issuer", "kind", "email", "name", "team", "groups", "ownership"};

SourcePos pos_of(const YAML::Mark& m) {
  return SourcePos{m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0};
}

struct Loader {
  Context& ctx;
  std::vector<Role> roles;
  std::vector<Binding> bindings;

  // A scalar or a list of scalars, each as a Value; reports an empty list or too many items.
  std::vector<Value> items(const Value& v, std::string_view what) {
    std::vector<Value> out;
    if (v.node.IsScalar()) {
      out.push_back(v);
    } else if (v.node.IsSequence()) {
      out = config::list_items(ctx, v);
    } else {
      ctx.error(v, "expected " + std::string(what) + " or a list of them, got " +
                       config::describe(v.node));
      return {};
    }
    if (out.empty()) ctx.error(v, "expected at least one " + std::string(what));
    if (out.size() > kMaxListItems) {
      ctx.error(v, "at most " + std::to_string(kMaxListItems) + " items");
      return {};
    }
    std::erase_if(out, [this](const Value& item) {
      if (item.node.IsScalar() && !item.node.Scalar().empty()) return false;
      ctx.error(item, "expected a non-empty string, got " + config::describe(item.node));
      return true;
    });
    return out;
  }

  std::optional<ActionSet> actions(const Value& v) {
    ActionSet out;
    bool ok = true;
    std::vector<std::string_view> names;
    for (Action a : kAllActions)
      names.push_back(action_name(a));
    for (const Value& item : items(v, "an action")) {
      auto a = parse_action(item.node.Scalar());
      if (!a) {
        config::read_choice(ctx, item, names);  // reports with a suggestion
        ok = false;
        continue;
      }
      out.add(*a);
    }
    if (!ok || out.empty()) return std::nullopt;
    return out;
  }

  // A stack glob must be able to match some "org/project/stack".
  std::optional<Glob> stack_glob(const Value& item) {
    const std::string& text = item.node.Scalar();
    bool chars_ok = std::ranges::all_of(
        text, [](char c) { return is_stack_name_char(c) || c == '/' || c == '*' || c == '?'; });
    if (!chars_ok) {
      ctx.error(item,
                "a stack glob may only contain letters, digits, '.', '_', '-', '/', '*' "
                "and '?'");
      return std::nullopt;
    }
    auto glob = Glob::compile(text);
    if (!glob) {
      ctx.error(item, glob.error().message);
      return std::nullopt;
    }
    auto slashes = std::ranges::count(text, '/');
    if (slashes > 2) {
      ctx.error(item,
                "a stack is org/project/stack, so a glob with more than two '/' never "
                "matches");
      return std::nullopt;
    }
    if (glob->is_literal()) {
      if (auto ref = parse_stack_ref(text); !ref) {
        ctx.error(item, ref.error().message + " (or use '*' and '?' to match several)");
        return std::nullopt;
      }
    }
    return std::move(*glob);
  }

  std::vector<ValuePattern> patterns(const Value& v, bool templates) {
    std::vector<ValuePattern> out;
    for (const Value& item : items(v, "a value")) {
      auto p = ValuePattern::compile(item.node.Scalar(), templates);
      if (!p) {
        ctx.error(item, p.error().message);
        continue;
      }
      out.push_back(std::move(*p));
    }
    return out;
  }

  std::vector<StackCondition> stack_conditions(const Value& v, bool& ok) {
    std::vector<StackCondition> out;
    ObjectReader r(ctx, v);
    if (!r.valid()) ok = false;
    r.each([&](const std::string& key, const Value& value, const YAML::Mark& key_mark) {
      auto attribute = StackAttribute::parse(key);
      if (!attribute) {
        ctx.error(key_mark, value.path,
                  "unknown stack attribute '" + key +
                      "'; expected tag.<name>, owner, org, "
                      "project, stack, system or lifecycle" +
                      config::did_you_mean(key, kStackAttributeNames));
        ok = false;
        patterns(value, true);  // its values' errors are reported too
        return;
      }
      std::size_t before = ctx.diagnostics().size();
      auto values = patterns(value, true);
      if (ctx.diagnostics().size() != before || values.empty()) {
        ok = false;
        return;
      }
      out.push_back(StackCondition{std::move(*attribute), std::move(values)});
    });
    return out;
  }

  std::vector<PrincipalCondition> principal_conditions(const Value& v, bool& ok) {
    std::vector<PrincipalCondition> out;
    ObjectReader r(ctx, v);
    if (!r.valid()) ok = false;
    r.each([&](const std::string& key, const Value& value, const YAML::Mark& key_mark) {
      auto attribute = PrincipalAttribute::parse(key);
      if (!attribute) {
        ctx.error(key_mark, value.path,
                  "'" + key + "': " + attribute.error().message +
                      config::did_you_mean(key, kPrincipalAttributeNames));
        ok = false;
        return;
      }
      std::size_t before = ctx.diagnostics().size();
      if (attribute->kind() == PrincipalAttribute::Kind::kKind) {
        for (const Value& item : items(value, "a kind"))
          config::read_choice(ctx, item, {"user", "machine"});
      }
      auto values = patterns(value, false);
      if (ctx.diagnostics().size() != before || values.empty()) {
        ok = false;
        return;
      }
      out.push_back(PrincipalCondition{std::move(*attribute), std::move(values)});
    });
    return out;
  }

  // Reads `approval:`; role names are resolved later into `approval.approvers`.
  std::optional<Approval> approval(const Value& v,
                                   std::vector<std::pair<Value, std::string>>& names) {
    ObjectReader r(ctx, v);
    if (!r.valid()) return std::nullopt;
    Approval a;
    bool ok = true;
    if (auto approvers = r.get("approvers", Need::kRequired)) {
      for (const Value& item : items(*approvers, "a role name"))
        names.emplace_back(item, item.node.Scalar());
      ok = !names.empty();
    } else {
      ok = false;
    }
    std::uint64_t count = 1;
    r.read("count", count, config::uint_in(1, kMaxApprovals));
    a.count = static_cast<unsigned>(count);
    if (!ok) return std::nullopt;
    return a;
  }

  struct PendingApprovers {
    std::size_t role;
    std::size_t rule;
    std::vector<std::pair<Value, std::string>> names;
  };
  std::vector<PendingApprovers> pending_approvers;

  std::optional<Rule> rule(const Value& v, std::size_t role_index, std::size_t rule_index) {
    ObjectReader r(ctx, v);
    if (!r.valid()) return std::nullopt;
    Rule rule;
    rule.pos = pos_of(v.mark);
    bool ok = true;
    auto effect_key = r.exactly_one({"allow", "deny"});
    if (effect_key) {
      rule.effect = *effect_key == "allow" ? Effect::kAllow : Effect::kDeny;
      auto acts = actions(*r.get(*effect_key));
      if (acts) {
        rule.actions = *acts;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    bool global_glob_only = true;
    if (auto stacks = r.get("stacks", Need::kRequired)) {
      for (const Value& item : items(*stacks, "a stack glob")) {
        auto glob = stack_glob(item);
        if (!glob) {
          ok = false;
          continue;
        }
        global_glob_only = global_glob_only && glob->text() == "*";
        rule.stacks.push_back(std::move(*glob));
      }
      if (rule.stacks.empty()) ok = false;
    } else {
      ok = false;
    }
    if (auto when = r.get("when")) rule.when = stack_conditions(*when, ok);
    if (auto appr = r.get("approval")) {
      if (rule.effect == Effect::kDeny) {
        r.error("approval", "a deny rule cannot ask for approval; only allow rules can");
        ok = false;
      } else {
        PendingApprovers pending{role_index, rule_index, {}};
        auto a = approval(*appr, pending.names);
        if (a) {
          rule.approval = *a;
          pending_approvers.push_back(std::move(pending));
        } else {
          ok = false;
        }
      }
    }
    for (Action a : kAllActions) {
      if (!is_global(a) || !rule.actions.has(a)) continue;
      std::string name(action_name(a));
      if (!global_glob_only || !rule.when.empty() || rule.approval) {
        r.error(effect_key ? *effect_key : "allow",
                name +
                    " is not about one stack: grant it in a rule with stacks: [\"*\"], "
                    "without when or approval");
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return rule;
  }

  void role(const Value& v, std::unordered_map<std::string, std::string>& seen) {
    ObjectReader r(ctx, v);
    if (!r.valid()) return;
    Role role;
    role.pos = pos_of(v.mark);
    bool ok = r.read("name", role.name, config::name_like("[A-Za-z0-9._-]+", config::is_name_char),
                     Need::kRequired);
    if (ok) {
      auto [it, inserted] = seen.emplace(role.name, v.path);
      if (!inserted) {
        r.error("name", "role '" + role.name + "' is already defined at " + it->second);
        ok = false;
      }
    }
    std::size_t index = roles.size();
    if (auto rules = r.get("rules")) {
      auto list = config::list_items(ctx, *rules);
      if (list.size() > kMaxRulesPerRole) {
        ctx.error(*rules, "at most " + std::to_string(kMaxRulesPerRole) + " rules per role");
        return;
      }
      for (const Value& item : list) {
        auto rule = this->rule(item, index, role.rules.size());
        if (rule) {
          role.rules.push_back(std::move(*rule));
        } else {
          ok = false;
          role.rules.emplace_back();  // keeps later rule indices right for pending approvers
        }
      }
    }
    // Kept even when broken, so rule indices of pending approvers stay right and bindings naming
    // it do not add "unknown role" to the real error; a broken load builds no Policy anyway.
    roles.push_back(std::move(role));
  }

  void binding(const Value& v) {
    ObjectReader r(ctx, v);
    if (!r.valid()) return;
    Binding b;
    b.pos = pos_of(v.mark);
    bool ok = true;
    std::vector<std::pair<Value, std::string>> names;
    if (auto list = r.get("roles", Need::kRequired)) {
      for (const Value& item : items(*list, "a role name"))
        names.emplace_back(item, item.node.Scalar());
      ok = !names.empty();
    } else {
      ok = false;
    }
    if (auto when = r.get("when")) b.when = principal_conditions(*when, ok);
    for (auto& [at, name] : names) {
      auto found = std::ranges::find_if(roles, [&](const Role& role) { return role.name == name; });
      if (found == roles.end()) {
        std::vector<std::string_view> known;
        for (const Role& role : roles)
          known.push_back(role.name);
        ctx.error(at, "unknown role '" + name + "'" + config::did_you_mean(name, known));
        ok = false;
        continue;
      }
      b.roles.push_back(static_cast<std::size_t>(found - roles.begin()));
    }
    if (ok) bindings.push_back(std::move(b));
  }

  void resolve_approvers() {
    std::vector<std::string_view> known;
    for (const Role& role : roles)
      known.push_back(role.name);
    for (PendingApprovers& p : pending_approvers) {
      if (p.role >= roles.size() || p.rule >= roles[p.role].rules.size()) continue;
      Rule& rule = roles[p.role].rules[p.rule];
      if (!rule.approval) continue;
      for (auto& [at, name] : p.names) {
        auto found = std::ranges::find(known, std::string_view(name));
        if (found == known.end()) {
          ctx.error(at, "unknown role '" + name + "'" + config::did_you_mean(name, known));
          continue;
        }
        rule.approval->approvers.push_back(static_cast<std::size_t>(found - known.begin()));
      }
    }
  }

  void document(const YAML::Node& root) {
    ObjectReader top(ctx, Value{root, "", root.Mark()}, "section");
    if (!top.valid()) return;
    std::unordered_map<std::string, std::string> seen;
    if (auto list = top.get("roles", Need::kRequired)) {
      auto items = config::list_items(ctx, *list);
      if (items.size() > kMaxRoles) {
        ctx.error(*list, "at most " + std::to_string(kMaxRoles) + " roles");
        return;
      }
      for (const Value& item : items)
        role(item, seen);
    }
    resolve_approvers();
    if (auto list = top.get("bindings")) {
      auto items = config::list_items(ctx, *list);
      if (items.size() > kMaxBindings) {
        ctx.error(*list, "at most " + std::to_string(kMaxBindings) + " bindings");
        return;
      }
      for (const Value& item : items)
        binding(item);
    }
  }
};

PolicyLoadResult file_error(const std::string& path, std::string message) {
  return PolicyLoadResult{nullptr, {config::Diagnostic{path, 0, 0, std::move(message)}}};
}

}  // namespace

PolicyLoadResult load_policy_text(std::string_view text, const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
  Context ctx(path, absolute.parent_path());
  Loader loader{ctx, {}, {}, {}};
  if (text.size() > kMaxPolicyBytes) {
    return file_error(path, "the policy is larger than " +
                                std::to_string(kMaxPolicyBytes / (1024 * 1024)) + " MiB");
  }
  config::read_yaml(ctx, text, "policy", [&](const YAML::Node& root) { loader.document(root); });
  PolicyLoadResult result;
  result.diagnostics = config::sorted_diagnostics(ctx);
  if (result.diagnostics.empty()) {
    result.policy = std::make_shared<const Policy>(absolute.string(), std::move(loader.roles),
                                                   std::move(loader.bindings));
  }
  return result;
}

PolicyLoadResult load_policy_file(const std::string& path) {
  auto text = read_small_file(path, kMaxPolicyBytes);
  if (!text) return file_error(path, text.error().message);
  return load_policy_text(*text, path);
}

}  // namespace sg::policy
