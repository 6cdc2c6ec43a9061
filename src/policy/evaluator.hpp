// The evaluator answers "may this principal do this action on this stack?" from a compiled Policy.
//
// Semantics (docs/policy.md): the principal's roles are those of every binding whose `when` holds.
// For (principal, action, stack): any matching deny rule → deny; else a matching allow rule
// without approval → allow; else a matching allow rule with approval → approval_required; else
// deny. A rule matches when the action is in its list, one of its stack globs matches the stack's
// "org/project/stack" and all its conditions hold. A principal's token scope then narrows the
// result: an action outside the scope is denied whatever the roles say. When the principal has an
// acting agent (a delegated token), the agent's own decision bounds it as well: deny if either
// denies, approval if one needs it, deny if both need it (one approval cannot serve two).
// Every Decision explains itself: which bindings gave which roles, which rule decided, or why no
// rule did. Pure functions without I/O or clocks: the same inputs give the same decision;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "policy/action.hpp"
#include "policy/policy.hpp"
#include "policy/principal.hpp"
#include "policy/stack.hpp"

namespace sg::policy {

enum class Verdict { kAllow, kDeny, kApprovalRequired };

// "allow", "deny", "approval_required".
std::string_view verdict_name(Verdict v);

// The roles a principal holds under one policy: a bit per role of Policy::roles().
class RoleSet {
 public:
  RoleSet() = default;
  explicit RoleSet(std::size_t roles) : words_((roles + 63) / 64, 0) {}

  bool has(std::size_t role) const {
    return role / 64 < words_.size() && ((words_[role / 64] >> (role % 64)) & 1U) != 0;
  }
  void add(std::size_t role) { words_[role / 64] |= std::uint64_t{1} << (role % 64); }
  bool empty() const;
  std::vector<std::size_t> members() const;

 private:
  std::vector<std::uint64_t> words_;
};

struct ApprovalNeed {
  std::vector<std::string> approvers;  // role names whose holders may approve
  unsigned count = 1;
  std::string rule;  // Policy::describe of the rule that asks for it
};

struct Decision {
  Verdict verdict = Verdict::kDeny;
  std::vector<std::string> roles;       // the principal's roles, in policy order
  std::vector<std::string> reasons;     // plain sentences, most important last
  std::vector<ApprovalNeed> approvals;  // kApprovalRequired: any one of these suffices
};

// The principal's roles, and (when `reasons` is not null) one sentence per binding that gave any.
RoleSet roles_of(const Policy& policy, const Principal& who,
                 std::vector<std::string>* reasons = nullptr);

// The decision for one stack action, explained (a global action is passed to evaluate_global).
Decision evaluate(const Policy& policy, const Principal& who, Action action, const Stack& stack);

// The decision for a global action (audit; or admin over the whole gateway): only rules on
// `stacks: ["*"]` without conditions count.
Decision evaluate_global(const Policy& policy, const Principal& who, Action action);

// The verdict alone, for listing many stacks: `roles` from roles_of(policy, who).
Verdict verdict_of(const Policy& policy, const Principal& who, const RoleSet& roles, Action action,
                   const Stack& stack);

// Everything the principal may do on `stack`: actions allowed outright and actions that need
// approval (neither includes global actions).
struct Permissions {
  ActionSet allowed;
  ActionSet with_approval;
};
Permissions permissions_on(const Policy& policy, const Principal& who, const RoleSet& roles,
                           const Stack& stack);

}  // namespace sg::policy
