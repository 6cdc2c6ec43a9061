// Scope is what a stackgate token is narrowed to: space-separated items
// `stack:<glob>:<action>[,<action>…]`, e.g. "stack:acme/payments/*:read,preview stack:*:audit".
//
// A principal with a scope may do an action on a stack only if its roles allow it *and* some item
// names the action on a glob matching the stack: a scope can only narrow, never widen. A global
// action (audit) needs an item whose glob is `*`. The glob uses the policy's glob rules and only
// the characters of stack references plus `*` and `?`. Bounds: kMaxScopeBytes, kMaxScopeItems.
// Immutable value type; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "policy/action.hpp"
#include "policy/glob.hpp"

namespace sg::policy {

inline constexpr std::size_t kMaxScopeBytes = 4096;
inline constexpr std::size_t kMaxScopeItems = 64;

struct ScopeItem {
  Glob stacks;
  ActionSet actions;
};

class Scope {
 public:
  // Errors: kInvalidArgument naming the first bad item by position (never echoing it whole).
  static Result<Scope> parse(std::string_view text);

  bool permits(Action action, std::string_view stack_ref) const;
  // The actions some item grants on `stack_ref` (global actions only through a `*` item).
  ActionSet actions_on(std::string_view stack_ref) const;

  // Whether everything `narrower` permits this scope permits too, item by item: each action of
  // each item of `narrower` must be granted by one item here whose glob covers its glob
  // (Glob::covers; conservative). Used when a scoped token is exchanged for a narrower one.
  bool covers(const Scope& narrower) const;

  const std::vector<ScopeItem>& items() const { return items_; }
  // The canonical text: items in order, actions in enum order, single spaces.
  std::string to_string() const;

 private:
  std::vector<ScopeItem> items_;
};

}  // namespace sg::policy
