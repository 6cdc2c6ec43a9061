// Policy is one loaded policy.yaml, compiled for evaluation: roles with their rules, bindings from
// principals to roles, an index from (action, stack) to the rules that could apply, and an index
// from principal attribute values to the bindings that could hold.
//
// The loader (policy/policy_loader.hpp) validates the text and builds a Policy; the evaluator
// (policy/evaluator.hpp) reads it. The rule index buckets each rule's stack globs by the literal
// organisation and project they start with, so a decision looks at the rules for its stack's
// organisation and project plus the rules whose globs start with a wildcard — not at every rule.
// The binding index files each binding under the literal values of one of its conditions (the
// one whose values the fewest bindings share), so finding a principal's roles looks up each of
// its values of the indexed attributes instead of testing every binding.
// Immutable once built; share it as std::shared_ptr<const Policy>; thread-safe to read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "policy/action.hpp"
#include "policy/condition.hpp"
#include "policy/glob.hpp"

namespace sg::policy {

struct SourcePos {
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

enum class Effect { kAllow, kDeny };

struct Approval {
  std::vector<std::size_t> approvers;  // indices of the roles whose holders may approve
  unsigned count = 1;                  // approvals needed
};

struct Rule {
  Effect effect = Effect::kAllow;
  ActionSet actions;
  std::vector<Glob> stacks;          // "org/project/stack" globs; any may match
  std::vector<StackCondition> when;  // all must hold
  std::optional<Approval> approval;  // allow rules only
  SourcePos pos;
};

struct Role {
  std::string name;
  std::vector<Rule> rules;
  SourcePos pos;
};

struct Binding {
  std::vector<std::size_t> roles;        // indices into Policy::roles()
  std::vector<PrincipalCondition> when;  // all must hold; none: every principal
  SourcePos pos;
};

// One rule of one role.
struct RuleRef {
  std::uint32_t role = 0;
  std::uint32_t rule = 0;
  friend bool operator==(const RuleRef&, const RuleRef&) = default;
  friend auto operator<=>(const RuleRef&, const RuleRef&) = default;
};

class Policy {
 public:
  // `file` names the source in explanations. Every role index in `bindings` and in approvals must
  // be valid (the loader guarantees it; a violation throws std::invalid_argument).
  Policy(std::string file, std::vector<Role> roles, std::vector<Binding> bindings);

  const std::string& file() const { return file_; }
  const std::vector<Role>& roles() const { return roles_; }
  const std::vector<Binding>& bindings() const { return bindings_; }
  std::size_t rule_count() const { return rule_count_; }
  const Rule& rule(RuleRef r) const { return roles_[r.role].rules[r.rule]; }
  std::optional<std::size_t> find_role(std::string_view name) const;

  // "role prod-deployer, rule 2 (policy.yaml:18)".
  std::string describe(RuleRef r) const;
  // "binding 3 (policy.yaml:40)".
  std::string describe_binding(std::size_t index) const;

  // The indices, ascending, of the bindings whose conditions all hold for `who`. Only the
  // candidates are tested, and not on the condition the index already matched.
  std::vector<std::size_t> bindings_holding(const Principal& who) const;

  // The indices, ascending and without repeats, of the bindings that could hold for `who` — a
  // superset of those that do: the bindings filed under one of its values, and those the index
  // cannot file (no condition with literal values only).
  std::vector<std::size_t> candidate_bindings(const Principal& who) const;

  // Calls f(RuleRef, std::size_t glob) for each stack glob — rule(ref).stacks[glob] — of a rule
  // granting or denying `action`, that could match `stack_ref`: a superset of those that do; f
  // tests the glob. A rule with several globs can be visited more than once. The walk reads only
  // the index, so f can skip a rule (say, of a role the principal does not hold) without touching
  // it.
  template <typename F>
  void for_each_candidate(Action action, std::string_view stack_ref, F&& f) const {
    const ActionIndex& index = index_[static_cast<std::size_t>(action)];
    std::size_t first = stack_ref.find('/');
    std::size_t second = first == std::string_view::npos ? first : stack_ref.find('/', first + 1);
    auto visit = [&](const std::vector<Entry>& entries) {
      for (const Entry& e : entries)
        f(RuleRef{e.role, e.rule}, std::size_t{e.glob});
    };
    if (second != std::string_view::npos) {
      if (auto it = index.by_project.find(stack_ref.substr(0, second));
          it != index.by_project.end())
        visit(it->second);
    }
    if (first != std::string_view::npos) {
      if (auto it = index.by_org.find(stack_ref.substr(0, first)); it != index.by_org.end())
        visit(it->second);
    }
    visit(index.any);
  }

 private:
  struct Entry {
    std::uint32_t role;
    std::uint32_t rule;
    std::uint32_t glob;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Buckets = std::unordered_map<std::string, std::vector<Entry>, Hash, std::equal_to<>>;
  struct ActionIndex {
    Buckets by_project;  // "org/project" → globs starting with that literal "org/project/"
    Buckets by_org;      // "org" → globs starting with the literal "org/" only
    std::vector<Entry> any;
  };

  // Bindings filed under the values of one principal attribute: value → binding indices.
  struct BindingBuckets {
    PrincipalAttribute attribute;
    std::unordered_map<std::string, std::vector<std::uint32_t>, Hash, std::equal_to<>> by_value;
  };

  void index_rule(std::uint32_t role, std::uint32_t rule);
  void index_bindings();

  std::string file_;
  std::string label_;  // the file name shown in explanations
  std::vector<Role> roles_;
  std::vector<Binding> bindings_;
  std::size_t rule_count_ = 0;
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> role_by_name_;
  std::array<ActionIndex, kActionCount> index_;
  std::vector<BindingBuckets> binding_index_;
  std::vector<std::uint32_t> unindexed_bindings_;  // no condition with literal values only
  std::vector<std::size_t> filed_under_;  // per binding: its condition the index files it under
};

}  // namespace sg::policy
