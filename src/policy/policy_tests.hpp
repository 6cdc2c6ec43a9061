// Policy tests: YAML files of cases — principal, action, stack, expected decision — that
// `stackgate policy test` runs against a compiled policy, so a policy change is checked like code.
//
// The format (docs/cli-policy.md):
//   principals: { NAME: PRINCIPAL, … }   optional; PRINCIPAL has the fields of principal JSON
//   stacks: [ { ref, tags, owner, system, lifecycle }, … ]   optional: extra stacks, or attributes
//                                        that replace those the configuration gives a stack
//   cases: [ { name, principal: NAME | PRINCIPAL, action, stack, expect, approvers }, … ]
// `expect` is allow, deny or approval_required; `approvers` (only with approval_required) lists the
// roles whose holders may approve, compared as a set. `stack` is required for stack actions and
// refused for global ones (audit). The reader goes through config/yaml_reader.hpp, so every
// problem is reported with file:line:column, unknown keys with a "did you mean", and all of them
// at once. Bounds: kMaxPolicyTestBytes of text and the counts below.
//
// The runner evaluates each case (policy/evaluator.hpp) against the configuration's stacks with the
// file's stacks applied; a stack found in neither is evaluated with only its org, project and name,
// and the report says so. Pure apart from reading the one file; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "policy/action.hpp"
#include "policy/evaluator.hpp"
#include "policy/policy.hpp"
#include "policy/principal.hpp"
#include "policy/stack.hpp"

namespace sg::policy {

inline constexpr std::size_t kMaxPolicyTestBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxTestPrincipals = 10'000;
inline constexpr std::size_t kMaxTestStacks = 100'000;
inline constexpr std::size_t kMaxTestCases = 100'000;

// One entry of `stacks:`: the attributes it sets replace the stack's (tags as a whole).
struct StackOverride {
  StackRef ref;
  std::optional<std::map<std::string, std::string>> tags;
  std::optional<std::string> owner;
  std::optional<std::string> system;
  std::optional<std::string> lifecycle;
};

struct PolicyTestCase {
  std::string name;
  int line = 0;  // of the case in the file
  Principal principal;
  Action action = Action::kRead;
  std::optional<StackRef> stack;  // nothing for a global action
  Verdict expect = Verdict::kDeny;
  std::optional<std::vector<std::string>> approvers;  // sorted, without repeats
};

struct PolicyTests {
  std::string file;  // as given to the loader
  std::vector<StackOverride> stacks;
  std::vector<PolicyTestCase> cases;
};

struct PolicyTestsLoadResult {
  std::optional<PolicyTests> tests;  // set only when diagnostics is empty
  config::Diagnostics diagnostics;
};

// Reads the test file at `path`.
PolicyTestsLoadResult load_policy_tests_file(const std::string& path);

// Reads YAML text as if from `path`.
PolicyTestsLoadResult load_policy_tests_text(std::string_view text, const std::string& path);

// `known` (the configuration's stacks) with `overrides` applied: attributes replaced where a
// reference is already known, stacks added where it is not.
std::vector<Stack> apply_overrides(std::vector<Stack> known,
                                   const std::vector<StackOverride>& overrides);

struct CaseResult {
  std::size_t index = 0;  // into PolicyTests::cases
  bool passed = false;
  bool stack_known = true;  // false: evaluated with only the stack's names
  Decision decision;
};

struct PolicyTestReport {
  std::vector<CaseResult> results;  // one per case, in file order
  std::size_t passed = 0;
  std::size_t failed = 0;
};

// Runs every case of `tests` against `policy`; `known` are the configuration's stacks.
PolicyTestReport run_policy_tests(const Policy& policy, const PolicyTests& tests,
                                  const std::vector<Stack>& known);

// What a failed case prints: `FILE:LINE: case "NAME": expected allow, got deny`, then the reasons,
// the approvals and any note about the stack, each on its own line indented two spaces. Ends with
// a newline.
std::string describe_failure(const PolicyTests& tests, const CaseResult& result);

// "1 holder of [platform-admin] (role prod-deployer, rule 1 (policy.yaml:19))".
std::string describe_approval(const ApprovalNeed& need);

}  // namespace sg::policy
