#include "policy/policy_tests.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "common/json_text.hpp"
#include "common/small_file.hpp"
#include "config/fields.hpp"
#include "config/suggest.hpp"
#include "config/yaml_reader.hpp"
#include "policy/principal_json.hpp"
#include "policy/yaml_json.hpp"

namespace sg::policy {
namespace {

using config::Context;
using config::Need;
using config::ObjectReader;
using config::Value;

std::string join(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i > 0 ? ", " : "") + names[i];
  return out + "]";
}

// The roles whose holders may approve, over every approval the decision offers; sorted, unique.
std::vector<std::string> approvers_of(const Decision& d) {
  std::vector<std::string> out;
  for (const ApprovalNeed& need : d.approvals)
    out.insert(out.end(), need.approvers.begin(), need.approvers.end());
  std::ranges::sort(out);
  out.erase(std::ranges::unique(out).begin(), out.end());
  return out;
}

struct Reader {
  Context& ctx;
  // Every name under `principals`; nothing for one that did not read (its error is reported).
  std::map<std::string, std::optional<Principal>, std::less<>> principals;
  PolicyTests out;

  std::optional<Principal> principal(const Value& v) {
    if (!v.node.IsMap()) {
      ctx.error(v,
                "expected a principal (a mapping of its fields), got " + config::describe(v.node));
      return std::nullopt;
    }
    std::size_t before = ctx.diagnostics().size();
    boost::json::object fields;
    std::map<std::string, std::pair<YAML::Mark, Value>, std::less<>> where;  // key mark, value
    {
      ObjectReader r(ctx, v);
      r.each([&](const std::string& key, const Value& value, const YAML::Mark& key_mark) {
        auto scalars = key == "claims" ? YamlScalars::kTyped : YamlScalars::kStrings;
        auto json = yaml_to_json(ctx, value, scalars, kMaxClaimsDepth);
        if (json) fields[key] = std::move(*json);
        where.emplace(key, std::pair(key_mark, value));
      });
    }
    if (ctx.diagnostics().size() != before) return std::nullopt;
    std::string field;
    auto p = principal_from_json(fields, &field);
    if (p) return std::move(*p);
    const std::string& message = p.error().message;
    auto at = where.find(field);
    bool known = std::ranges::find(kPrincipalJsonFields, field) != kPrincipalJsonFields.end();
    if (at == where.end()) {
      ctx.error(v, message);
    } else if (!known) {
      ctx.error(at->second.first, v.path, message);
    } else {
      std::string_view what = message;
      if (what.starts_with(field + ": ")) what.remove_prefix(field.size() + 2);
      ctx.error(at->second.second, what);
    }
    return std::nullopt;
  }

  void read_principals(const Value& v) {
    ObjectReader r(ctx, v);
    if (!r.valid()) return;
    std::size_t count = 0;
    r.each([&](const std::string& name, const Value& value, const YAML::Mark& key_mark) {
      if (++count > kMaxTestPrincipals) {
        if (count == kMaxTestPrincipals + 1)
          ctx.error(key_mark, v.path,
                    "at most " + std::to_string(kMaxTestPrincipals) + " principals");
        return;
      }
      principals.emplace(name, principal(value));
    });
  }

  void read_stacks(const Value& v) {
    auto items = config::list_items(ctx, v);
    if (items.size() > kMaxTestStacks) {
      ctx.error(v, "at most " + std::to_string(kMaxTestStacks) + " stacks");
      return;
    }
    config::UniqueValues refs("stack");
    for (const Value& item : items) {
      ObjectReader r(ctx, item);
      if (!r.valid()) continue;
      std::size_t before = ctx.diagnostics().size();
      StackOverride s;
      std::string ref;
      if (r.read("ref", ref, config::as_string, Need::kRequired)) {
        auto parsed = parse_stack_ref(ref);
        if (parsed) {
          s.ref = std::move(*parsed);
          refs.check(r, "ref", ref);
        } else {
          r.error("ref", parsed.error().message);
        }
      }
      std::map<std::string, std::string> tags;
      if (r.read("tags", tags, config::as_string_map)) s.tags = std::move(tags);
      std::string text;
      if (r.read("owner", text, config::as_string)) s.owner = text;
      if (r.read("system", text, config::as_string)) s.system = text;
      if (r.read("lifecycle", text, config::as_string)) s.lifecycle = text;
      if (ctx.diagnostics().size() == before) out.stacks.push_back(std::move(s));
    }
  }

  std::optional<Principal> case_principal(const Value& v) {
    if (!v.node.IsScalar()) return principal(v);
    const std::string& name = v.node.Scalar();
    auto it = principals.find(name);
    if (it != principals.end()) return it->second;  // nothing when its own error is reported
    std::vector<std::string_view> names;
    for (const auto& [known, _] : principals)
      names.push_back(known);
    ctx.error(v, "unknown principal " + json_quote(name) + config::did_you_mean(name, names) +
                     (names.empty() ? " (the file has no principals: section)" : ""));
    return std::nullopt;
  }

  void read_case(const Value& v, config::UniqueValues& names) {
    ObjectReader r(ctx, v);
    if (!r.valid()) return;
    std::size_t before = ctx.diagnostics().size();
    PolicyTestCase c;
    c.line = v.mark.line >= 0 ? v.mark.line + 1 : 0;
    if (r.read("name", c.name, config::as_string, Need::kRequired)) names.check(r, "name", c.name);
    std::optional<Principal> who;
    if (auto p = r.get("principal", Need::kRequired)) who = case_principal(*p);
    std::optional<Action> action;
    if (auto a = r.get("action", Need::kRequired)) {
      std::vector<std::string_view> actions;
      for (Action each : kAllActions)
        actions.push_back(action_name(each));
      if (auto index = config::read_choice(ctx, *a, actions)) action = kAllActions[*index];
    }
    auto stack = r.get("stack");
    if (action && is_global(*action) && stack) {
      r.error("stack", std::string(action_name(*action)) +
                           " is not about one stack: leave stack out of this case");
    } else if (action && !is_global(*action) && !stack) {
      r.missing("stack");
    } else if (stack) {
      auto ref = config::as_string(ctx, *stack);
      if (ref) {
        auto parsed = parse_stack_ref(*ref);
        if (parsed) {
          c.stack = std::move(*parsed);
        } else {
          ctx.error(*stack, parsed.error().message);
        }
      }
    }
    r.choice("expect", c.expect,
             {{"allow", Verdict::kAllow},
              {"deny", Verdict::kDeny},
              {"approval_required", Verdict::kApprovalRequired}},
             Need::kRequired);
    std::vector<std::string> approvers;
    if (r.read("approvers", approvers, config::as_string_list)) {
      std::ranges::sort(approvers);
      approvers.erase(std::ranges::unique(approvers).begin(), approvers.end());
      if (c.expect != Verdict::kApprovalRequired) {
        r.error("approvers", "approvers are checked only when expect is approval_required");
      } else if (approvers.empty()) {
        r.error("approvers", "expected at least one role name");
      }
      c.approvers = std::move(approvers);
    }
    if (ctx.diagnostics().size() != before || !who || !action) return;
    c.principal = std::move(*who);
    c.action = *action;
    out.cases.push_back(std::move(c));
  }

  void document(const YAML::Node& root) {
    ObjectReader top(ctx, Value{root, "", root.Mark()}, "section");
    if (!top.valid()) return;
    if (auto v = top.get("principals")) read_principals(*v);
    if (auto v = top.get("stacks")) read_stacks(*v);
    auto cases = top.get("cases", Need::kRequired);
    if (!cases) return;
    auto items = config::list_items(ctx, *cases);
    if (items.size() > kMaxTestCases) {
      ctx.error(*cases, "at most " + std::to_string(kMaxTestCases) + " cases");
      return;
    }
    if (items.empty() && (cases->node.IsNull() || cases->node.IsSequence()))
      ctx.error(*cases, "expected at least one case");
    config::UniqueValues names("case name");
    for (const Value& item : items)
      read_case(item, names);
  }
};

PolicyTestsLoadResult file_error(const std::string& path, std::string message) {
  return PolicyTestsLoadResult{std::nullopt, {config::Diagnostic{path, 0, 0, std::move(message)}}};
}

}  // namespace

PolicyTestsLoadResult load_policy_tests_text(std::string_view text, const std::string& path) {
  if (text.size() > kMaxPolicyTestBytes) {
    return file_error(path, "the test file is larger than " +
                                std::to_string(kMaxPolicyTestBytes / (1024 * 1024)) + " MiB");
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
  Context ctx(path, absolute.parent_path());
  Reader reader{ctx, {}, {}};
  reader.out.file = path;
  config::read_yaml(ctx, text, "tests", [&](const YAML::Node& root) { reader.document(root); });
  PolicyTestsLoadResult result;
  result.diagnostics = config::sorted_diagnostics(ctx);
  if (result.diagnostics.empty()) result.tests = std::move(reader.out);
  return result;
}

PolicyTestsLoadResult load_policy_tests_file(const std::string& path) {
  auto text = read_small_file(path, kMaxPolicyTestBytes);
  if (!text) return file_error(path, text.error().message);
  return load_policy_tests_text(*text, path);
}

std::vector<Stack> apply_overrides(std::vector<Stack> known,
                                   const std::vector<StackOverride>& overrides) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < known.size(); ++i)
    index.emplace(known[i].ref, i);
  for (const StackOverride& o : overrides) {
    auto it = index.find(o.ref.to_string());
    if (it == index.end()) {
      it = index.emplace(o.ref.to_string(), known.size()).first;
      known.push_back(Stack::named(o.ref));
    }
    Stack& s = known[it->second];
    if (o.tags) s.tags = {o.tags->begin(), o.tags->end()};
    if (o.owner) s.owner = *o.owner;
    if (o.system) s.system = *o.system;
    if (o.lifecycle) s.lifecycle = *o.lifecycle;
  }
  return known;
}

PolicyTestReport run_policy_tests(const Policy& policy, const PolicyTests& tests,
                                  const std::vector<Stack>& known) {
  std::vector<Stack> stacks = apply_overrides(known, tests.stacks);
  std::unordered_map<std::string_view, const Stack*> by_ref;
  for (const Stack& s : stacks)
    by_ref.emplace(s.ref, &s);
  PolicyTestReport report;
  for (std::size_t i = 0; i < tests.cases.size(); ++i) {
    const PolicyTestCase& c = tests.cases[i];
    CaseResult r;
    r.index = i;
    if (!c.stack) {
      r.decision = evaluate_global(policy, c.principal, c.action);
    } else {
      std::string ref = c.stack->to_string();
      auto it = by_ref.find(ref);
      r.stack_known = it != by_ref.end();
      r.decision = r.stack_known ? evaluate(policy, c.principal, c.action, *it->second)
                                 : evaluate(policy, c.principal, c.action, Stack::named(*c.stack));
    }
    r.passed = r.decision.verdict == c.expect &&
               (!c.approvers || approvers_of(r.decision) == *c.approvers);
    ++(r.passed ? report.passed : report.failed);
    report.results.push_back(std::move(r));
  }
  return report;
}

std::string describe_approval(const ApprovalNeed& need) {
  return std::to_string(need.count) + (need.count == 1 ? " holder" : " holders") + " of " +
         join(need.approvers) + ", asked by " + need.rule;
}

std::string describe_failure(const PolicyTests& tests, const CaseResult& result) {
  const PolicyTestCase& c = tests.cases[result.index];
  const Decision& d = result.decision;
  std::string expected(verdict_name(c.expect));
  std::string actual(verdict_name(d.verdict));
  if (c.approvers) {
    expected += " with approvers " + join(*c.approvers);
    if (d.verdict == Verdict::kApprovalRequired)
      actual += " with approvers " + join(approvers_of(d));
  }
  std::string out = tests.file + ":" + std::to_string(c.line) + ": case " + json_quote(c.name) +
                    ": expected " + expected + ", got " + actual + "\n";
  for (const std::string& reason : d.reasons)
    out += "  " + reason + "\n";
  for (const ApprovalNeed& need : d.approvals)
    out += "  approval: " + describe_approval(need) + "\n";
  if (!result.stack_known) {
    out += "  note: " + c.stack->to_string() +
           " is in neither the configuration nor the file's stacks: evaluated with only its org, "
           "project and name\n";
  }
  return out;
}

}  // namespace sg::policy
