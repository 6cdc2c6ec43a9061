#include "policy/evaluator.hpp"

#include <algorithm>
#include <bit>

namespace sg::policy {
namespace {

// What the rules say about one (principal, action, stack), before the scope.
struct Outcome {
  std::vector<RuleRef> deny;
  std::vector<RuleRef> allow;
  std::vector<RuleRef> approval;
  bool explain = false;  // collect every matching rule, not just enough to decide

  Verdict verdict() const {
    if (!deny.empty()) return Verdict::kDeny;
    if (!allow.empty()) return Verdict::kAllow;
    if (!approval.empty()) return Verdict::kApprovalRequired;
    return Verdict::kDeny;
  }
};

bool conditions_hold(const Rule& r, const Stack& stack, const Principal& who) {
  return std::ranges::all_of(r.when, [&](const StackCondition& c) { return c.holds(stack, who); });
}

void add_once(std::vector<RuleRef>& v, RuleRef r) {
  if (std::ranges::find(v, r) == v.end()) v.push_back(r);
}

// Collects the matching rules of the principal's roles. Without `explain`, stops at the first
// matching deny (nothing can change the verdict after it).
void match_rules(const Policy& policy, const Principal& who, const RoleSet& roles, Action action,
                 const Stack& stack, Outcome& out) {
  policy.for_each_candidate(action, stack.ref, [&](RuleRef ref, std::size_t glob) {
    if (!out.explain && !out.deny.empty()) return;
    if (!roles.has(ref.role)) return;
    const Rule& rule = policy.rule(ref);
    if (!rule.stacks[glob].matches(stack.ref) || !conditions_hold(rule, stack, who)) return;
    if (rule.effect == Effect::kDeny) {
      add_once(out.deny, ref);
    } else if (rule.approval) {
      add_once(out.approval, ref);
    } else {
      add_once(out.allow, ref);
    }
  });
  std::ranges::sort(out.deny);
  std::ranges::sort(out.allow);
  std::ranges::sort(out.approval);
}

std::string role_list(const std::vector<std::string>& roles) {
  std::string out = "[";
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) out += ", ";
    out += roles[i];
  }
  return out + "]";
}

std::vector<std::string> role_names(const Policy& policy, const RoleSet& roles) {
  std::vector<std::string> out;
  for (std::size_t i : roles.members())
    out.push_back(policy.roles()[i].name);
  return out;
}

ApprovalNeed approval_need(const Policy& policy, RuleRef ref) {
  const Approval& a = *policy.rule(ref).approval;
  ApprovalNeed need;
  for (std::size_t r : a.approvers)
    need.approvers.push_back(policy.roles()[r].name);
  need.count = a.count;
  need.rule = policy.describe(ref);
  return need;
}

// Turns the matched rules into the decision's verdict and explanation.
void explain(const Policy& policy, const Outcome& o, std::string_view action_text,
             std::string_view target, Decision& d) {
  std::string what = std::string(action_text) + " on " + std::string(target);
  d.verdict = o.verdict();
  switch (d.verdict) {
    case Verdict::kDeny:
      if (!o.deny.empty()) {
        for (RuleRef r : o.deny)
          d.reasons.push_back(policy.describe(r) + " denies " + what);
      } else if (d.roles.empty()) {
        d.reasons.push_back("no role: deny by default");
      } else {
        d.reasons.push_back("no rule of roles " + role_list(d.roles) + " allows " + what);
      }
      break;
    case Verdict::kAllow:
      for (RuleRef r : o.allow)
        d.reasons.push_back(policy.describe(r) + " allows " + what);
      break;
    case Verdict::kApprovalRequired:
      for (RuleRef r : o.approval) {
        ApprovalNeed need = approval_need(policy, r);
        d.reasons.push_back(policy.describe(r) + " allows " + what + " with the approval of " +
                            std::to_string(need.count) + " holder" + (need.count == 1 ? "" : "s") +
                            " of " + role_list(need.approvers));
        d.approvals.push_back(std::move(need));
      }
      break;
  }
}

// Applies the token's scope: an action it does not include is denied.
void narrow_by_scope(const Principal& who, Action action, std::string_view stack_ref,
                     std::string_view target, Decision& d) {
  if (!who.scope || who.scope->permits(action, stack_ref)) return;
  if (d.verdict != Verdict::kDeny) {
    d.verdict = Verdict::kDeny;
    d.approvals.clear();
  }
  d.reasons.push_back("the token's scope does not include " + std::string(action_name(action)) +
                      " on " + std::string(target));
}

// The stricter of two verdicts, for a subject and its acting agent. Approval on both sides is a
// deny: one approval cannot stand for two principals' requirements, and never more is granted.
Verdict stricter(Verdict subject, Verdict agent) {
  if (subject == Verdict::kDeny || agent == Verdict::kDeny) return Verdict::kDeny;
  if (subject == Verdict::kApprovalRequired && agent == Verdict::kApprovalRequired) {
    return Verdict::kDeny;
  }
  if (subject == Verdict::kApprovalRequired || agent == Verdict::kApprovalRequired) {
    return Verdict::kApprovalRequired;
  }
  return Verdict::kAllow;
}

// Applies the acting agent's own decision: the result is never more than either allows.
void narrow_by_actor(const Principal& agent, const Decision& theirs, std::string_view action_text,
                     std::string_view target, Decision& d) {
  const Verdict before = d.verdict;
  d.verdict = stricter(before, theirs.verdict);
  std::string what = std::string(action_text) + " on " + std::string(target);
  switch (theirs.verdict) {
    case Verdict::kAllow:
      return;
    case Verdict::kDeny:
      d.approvals.clear();
      d.reasons.push_back("the acting agent " + agent.subject + " may not " + what);
      return;
    case Verdict::kApprovalRequired:
      if (before == Verdict::kApprovalRequired) {
        d.approvals.clear();
        d.reasons.push_back("both the subject and the acting agent " + agent.subject +
                            " need approval for " + what + ": refused");
      } else if (before == Verdict::kAllow) {
        d.approvals = theirs.approvals;
        d.reasons.push_back("the acting agent " + agent.subject + " needs approval for " + what);
      }
      return;
  }
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kAllow:
      return "allow";
    case Verdict::kDeny:
      return "deny";
    case Verdict::kApprovalRequired:
      return "approval_required";
  }
  return "deny";
}

bool RoleSet::empty() const {
  return std::ranges::all_of(words_, [](std::uint64_t w) { return w == 0; });
}

std::vector<std::size_t> RoleSet::members() const {
  std::vector<std::size_t> out;
  for (std::size_t w = 0; w < words_.size(); ++w) {
    for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
      out.push_back(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
  }
  return out;
}

RoleSet roles_of(const Policy& policy, const Principal& who, std::vector<std::string>* reasons) {
  RoleSet roles(policy.roles().size());
  const auto& bindings = policy.bindings();
  for (std::size_t i : policy.bindings_holding(who)) {
    const Binding& b = bindings[i];
    for (std::size_t r : b.roles)
      roles.add(r);
    if (reasons != nullptr) {
      std::string sentence = policy.describe_binding(i) + " gives [";
      for (std::size_t k = 0; k < b.roles.size(); ++k) {
        if (k > 0) sentence += ", ";
        sentence += policy.roles()[b.roles[k]].name;
      }
      reasons->push_back(std::move(sentence) + "]");
    }
  }
  return roles;
}

Decision evaluate(const Policy& policy, const Principal& who, Action action, const Stack& stack) {
  if (is_global(action)) return evaluate_global(policy, who, action);
  Decision d;
  RoleSet roles = roles_of(policy, who, &d.reasons);
  d.roles = role_names(policy, roles);
  Outcome o;
  o.explain = true;
  match_rules(policy, who, roles, action, stack, o);
  explain(policy, o, action_name(action), stack.ref, d);
  narrow_by_scope(who, action, stack.ref, stack.ref, d);
  if (who.actor) {
    narrow_by_actor(*who.actor, evaluate(policy, *who.actor, action, stack), action_name(action),
                    stack.ref, d);
  }
  return d;
}

Decision evaluate_global(const Policy& policy, const Principal& who, Action action) {
  Decision d;
  RoleSet roles = roles_of(policy, who, &d.reasons);
  d.roles = role_names(policy, roles);
  Outcome o;
  o.explain = true;
  // Global rules are `stacks: ["*"]` without conditions; the index keeps them in its `any` bucket,
  // reached by a reference without '/'.
  policy.for_each_candidate(action, "*", [&](RuleRef ref, std::size_t glob) {
    if (!roles.has(ref.role)) return;
    const Rule& rule = policy.rule(ref);
    if (!rule.stacks[glob].matches_everything() || !rule.when.empty()) return;
    if (rule.effect == Effect::kDeny) {
      add_once(o.deny, ref);
    } else if (rule.approval) {
      add_once(o.approval, ref);
    } else {
      add_once(o.allow, ref);
    }
  });
  std::ranges::sort(o.deny);
  std::ranges::sort(o.allow);
  std::ranges::sort(o.approval);
  explain(policy, o, action_name(action), "all stacks", d);
  narrow_by_scope(who, action, "*", "all stacks", d);
  if (who.actor) {
    narrow_by_actor(*who.actor, evaluate_global(policy, *who.actor, action), action_name(action),
                    "all stacks", d);
  }
  return d;
}

Verdict verdict_of(const Policy& policy, const Principal& who, const RoleSet& roles, Action action,
                   const Stack& stack) {
  if (is_global(action)) return Verdict::kDeny;
  if (who.scope && !who.scope->permits(action, stack.ref)) return Verdict::kDeny;
  Outcome o;
  match_rules(policy, who, roles, action, stack, o);
  Verdict v = o.verdict();
  if (who.actor && v != Verdict::kDeny) {
    v = stricter(v, verdict_of(policy, *who.actor, roles_of(policy, *who.actor), action, stack));
  }
  return v;
}

Permissions permissions_on(const Policy& policy, const Principal& who, const RoleSet& roles,
                           const Stack& stack) {
  Permissions p;
  for (Action a : kAllActions) {
    if (is_global(a)) continue;
    switch (verdict_of(policy, who, roles, a, stack)) {
      case Verdict::kAllow:
        p.allowed.add(a);
        break;
      case Verdict::kApprovalRequired:
        p.with_approval.add(a);
        break;
      case Verdict::kDeny:
        break;
    }
  }
  return p;
}

}  // namespace sg::policy
