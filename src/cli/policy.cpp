// `stackgate policy eval` and `stackgate policy test`: the policy's decisions from the command
// line. The work is in policy/ (evaluator, principal_json, policy_tests); this file reads the
// arguments, the files, and prints.
#include <iostream>

#include <boost/json/array.hpp>

#include "catalog/stack_registry.hpp"
#include "cli/commands.hpp"
#include "cli/json_print.hpp"
#include "cli/loaded_policy.hpp"
#include "common/small_file.hpp"
#include "jose/json_reader.hpp"
#include "policy/decision_json.hpp"
#include "policy/evaluator.hpp"
#include "policy/policy_tests.hpp"
#include "policy/principal_json.hpp"

namespace sg::cli {
namespace {

constexpr std::size_t kMaxPrincipalFileBytes = 1024 * 1024;
constexpr std::size_t kMaxPrincipalJsonDepth = 32;

// Exit codes of `policy eval`.
constexpr int kExitAllow = 0;
constexpr int kExitError = 1;
constexpr int kExitDeny = 2;
constexpr int kExitApprovalRequired = 3;

constexpr const char* kEvalFooter =
    "Exit status: 0 allow, 2 deny, 3 approval_required, 1 for a usage error or a configuration,\n"
    "policy or principal file that cannot be loaded.\n"
    "PRINCIPAL.json: {\"subject\": \"user:default/jane\", \"issuer\": \"corp-sso\", \"kind\": "
    "\"user\",\n"
    "  \"team\": \"payments\", \"groups\": [...], \"ownership\": [...], \"claims\": {...}, "
    "\"scope\": \"...\"}\n"
    "(docs/cli-policy.md lists every field).";

constexpr const char* kTestFooter =
    "Exit status: 0 when every case passes, 1 when any fails or a file cannot be loaded.\n"
    "The test file format is in docs/cli-policy.md.";

struct EvalOptions {
  std::string config_path;
  std::string principal_path;
  std::string action;
  std::string stack;
  bool json = false;
};

struct TestOptions {
  std::string config_path;
  std::vector<std::string> files;
};

int usage(std::string_view command, std::string_view message) {
  std::cerr << "stackgate policy " << command << ": " << message << "\n";
  return kExitError;
}

Result<policy::Principal> read_principal(const std::string& path) {
  auto text = read_small_file(path, kMaxPrincipalFileBytes);
  if (!text) return make_error(text.code(), path + ": " + text.error().message);
  auto object = jose::parse_strict_object(*text, {kMaxPrincipalFileBytes, kMaxPrincipalJsonDepth},
                                          "principal", Errc::kInvalidArgument);
  if (!object) return make_error(Errc::kInvalidArgument, path + ": " + object.error().message);
  auto who = policy::principal_from_json(boost::json::value(std::move(*object)));
  if (!who) return make_error(Errc::kInvalidArgument, path + ": " + who.error().message);
  return who;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

// As POST /v1/authorize answers it, with the principal.
boost::json::object decision_json(const policy::Decision& d, const policy::Principal& who) {
  boost::json::object out = policy::decision_json(d);
  out["principal"] = policy::principal_to_json(who);
  return out;
}

void print_decision(const policy::Decision& d, const policy::Principal& who, policy::Action action,
                    const std::string& stack_line) {
  std::cout << "decision: " << policy::verdict_name(d.verdict) << "\n"
            << "principal: " << who.subject << "\n"
            << "action: " << policy::action_name(action) << "\n";
  if (!stack_line.empty()) std::cout << "stack: " << stack_line << "\n";
  std::cout << "roles: " << joined(d.roles) << "\n"
            << "reasons:\n";
  for (const std::string& reason : d.reasons)
    std::cout << "  " << reason << "\n";
  if (d.verdict != policy::Verdict::kApprovalRequired) return;
  std::cout << "approvals (any one suffices):\n";
  for (const policy::ApprovalNeed& need : d.approvals)
    std::cout << "  " << policy::describe_approval(need) << "\n";
}

int exit_code(policy::Verdict v) {
  switch (v) {
    case policy::Verdict::kAllow:
      return kExitAllow;
    case policy::Verdict::kApprovalRequired:
      return kExitApprovalRequired;
    case policy::Verdict::kDeny:
      return kExitDeny;
  }
  return kExitDeny;
}

int run_eval(const EvalOptions& o) {
  auto action = policy::parse_action(o.action);
  if (!action) {
    std::string names;
    for (policy::Action a : policy::kAllActions)
      names += (names.empty() ? "" : ", ") + std::string(policy::action_name(a));
    return usage("eval", "unknown action '" + o.action + "'; expected one of " + names);
  }
  std::optional<policy::StackRef> ref;
  if (policy::is_global(*action)) {
    if (!o.stack.empty()) {
      return usage("eval", std::string(policy::action_name(*action)) +
                               " is not about one stack: leave out --stack");
    }
  } else {
    if (o.stack.empty()) {
      return usage("eval", "--stack org/project/stack is required for " + o.action);
    }
    auto parsed = policy::parse_stack_ref(o.stack);
    if (!parsed) return usage("eval", "--stack: " + parsed.error().message);
    ref = std::move(*parsed);
  }
  auto who = read_principal(o.principal_path);
  if (!who) return usage("eval", who.error().message);
  LoadedPolicy loaded = load_config_and_policy(o.config_path, std::cerr);
  if (!loaded.ok) return kExitError;
  if (!loaded.policy) return usage("eval", o.config_path + ": no policy configured");

  policy::Decision decision;
  std::string stack_line;
  if (!ref) {
    decision = policy::evaluate_global(*loaded.policy, *who, *action);
  } else {
    catalog::StackSet stacks(catalog::stacks_from_config(loaded.config->projects));
    const policy::Stack* known = stacks.find(ref->to_string());
    stack_line = ref->to_string();
    if (known != nullptr) {
      decision = policy::evaluate(*loaded.policy, *who, *action, *known);
    } else {
      std::string note = "not in the configuration: evaluated with only its org, project and name";
      stack_line += " (" + note + ")";
      if (o.json) std::cerr << "note: " << ref->to_string() << " is " << note << "\n";
      decision = policy::evaluate(*loaded.policy, *who, *action, policy::Stack::named(*ref));
    }
  }
  if (o.json) {
    std::cout << pretty_json(decision_json(decision, *who)) << "\n";
  } else {
    print_decision(decision, *who, *action, stack_line);
  }
  return exit_code(decision.verdict);
}

int run_test(const TestOptions& o) {
  LoadedPolicy loaded = load_config_and_policy(o.config_path, std::cerr);
  if (!loaded.ok) return kExitError;
  if (!loaded.policy) return usage("test", o.config_path + ": no policy configured");
  std::vector<policy::Stack> known = catalog::stacks_from_config(loaded.config->projects);
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t unreadable = 0;
  for (const std::string& file : o.files) {
    policy::PolicyTestsLoadResult tests = policy::load_policy_tests_file(file);
    for (const config::Diagnostic& d : tests.diagnostics)
      std::cerr << d.to_string() << "\n";
    if (!tests.tests) {
      ++unreadable;
      continue;
    }
    policy::PolicyTestReport report = policy::run_policy_tests(*loaded.policy, *tests.tests, known);
    for (const policy::CaseResult& r : report.results) {
      if (!r.passed) std::cout << policy::describe_failure(*tests.tests, r);
    }
    passed += report.passed;
    failed += report.failed;
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (unreadable > 0) {
    std::cout << "; " << unreadable << (unreadable == 1 ? " file" : " files")
              << " could not be loaded";
  }
  std::cout << "\n";
  return failed == 0 && unreadable == 0 ? 0 : 1;
}

}  // namespace

void add_policy(CLI::App& root, int& exit_code) {
  CLI::App* cmd = root.add_subcommand(
      "policy", "Ask the configured policy for a decision (eval) or run policy tests (test)");
  cmd->require_subcommand(1);

  auto e = std::make_shared<EvalOptions>();
  CLI::App* eval = cmd->add_subcommand(
      "eval",
      "Evaluate one request: may PRINCIPAL do ACTION on STACK? Prints the decision with the "
      "principal's roles and the reasons (--json: as the HTTP API does)");
  eval->add_option("--config,-c", e->config_path, "Path of stackgate.yaml (and its policy)")
      ->required();
  eval->add_option("--principal", e->principal_path, "A principal JSON file")->required();
  eval->add_option("--action", e->action,
                   "read, preview, update, refresh, destroy, cancel, approve, admin or audit")
      ->required();
  eval->add_option("--stack", e->stack, "org/project/stack (not with audit)");
  eval->add_flag("--json", e->json,
                 "Print {\"decision\",\"principal\",\"roles\",\"reasons\",\"approvals\"}");
  eval->footer(kEvalFooter);
  eval->callback([e, &exit_code] { exit_code = run_eval(*e); });

  auto t = std::make_shared<TestOptions>();
  CLI::App* test = cmd->add_subcommand(
      "test",
      "Run the cases of policy test files against the configured policy; print each failure "
      "with its reasons and a summary");
  test->add_option("--config,-c", t->config_path, "Path of stackgate.yaml (and its policy)")
      ->required();
  test->add_option("TESTS", t->files, "Policy test files (YAML)")->required();
  test->footer(kTestFooter);
  test->callback([t, &exit_code] { exit_code = run_test(*t); });
}

}  // namespace sg::cli
