// Action is what a principal may do: the closed set of verbs the policy language grants and denies.
//
// Stack actions: read, preview, update, refresh, destroy, cancel, approve, admin. `audit` (reading
// the audit log) is not about one stack: rules grant it on `stacks: ["*"]` only. ActionSet is a
// bit set of actions, so a rule's `allow: [...]` costs one AND to test. Plain value types;
// thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sg::policy {

enum class Action : std::uint8_t {
  kRead,
  kPreview,
  kUpdate,
  kRefresh,
  kDestroy,
  kCancel,
  kApprove,
  kAdmin,
  kAudit,
};

inline constexpr std::size_t kActionCount = 9;

// Every action, in the order of the enum (and of the documentation).
inline constexpr std::array<Action, kActionCount> kAllActions = {
    Action::kRead,   Action::kPreview, Action::kUpdate, Action::kRefresh, Action::kDestroy,
    Action::kCancel, Action::kApprove, Action::kAdmin,  Action::kAudit};

// "read", "preview", …
std::string_view action_name(Action a);

// The action named `name` (exact, lower case), or nothing.
std::optional<Action> parse_action(std::string_view name);

// Whether the action concerns the whole gateway rather than one stack (today: audit).
constexpr bool is_global(Action a) {
  return a == Action::kAudit;
}

class ActionSet {
 public:
  constexpr ActionSet() = default;
  constexpr ActionSet(std::initializer_list<Action> actions) {
    for (Action a : actions)
      add(a);
  }

  constexpr void add(Action a) { bits_ |= bit(a); }
  constexpr void add(ActionSet s) { bits_ |= s.bits_; }
  constexpr bool has(Action a) const { return (bits_ & bit(a)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr ActionSet operator&(ActionSet o) const { return from_bits(bits_ & o.bits_); }
  constexpr ActionSet operator|(ActionSet o) const { return from_bits(bits_ | o.bits_); }
  constexpr bool contains(ActionSet o) const { return (bits_ & o.bits_) == o.bits_; }
  friend constexpr bool operator==(ActionSet, ActionSet) = default;

  // The names of the actions in the set, in enum order.
  std::vector<std::string> names() const;

 private:
  static constexpr std::uint16_t bit(Action a) {
    return static_cast<std::uint16_t>(1U << static_cast<unsigned>(a));
  }
  static constexpr ActionSet from_bits(std::uint16_t b) {
    ActionSet s;
    s.bits_ = b;
    return s;
  }
  std::uint16_t bits_ = 0;
};

// Every stack action (everything but the global ones).
inline constexpr ActionSet kStackActions = {Action::kRead,    Action::kPreview, Action::kUpdate,
                                            Action::kRefresh, Action::kDestroy, Action::kCancel,
                                            Action::kApprove, Action::kAdmin};

}  // namespace sg::policy
