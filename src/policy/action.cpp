#include "policy/action.hpp"

namespace sg::policy {
namespace {

constexpr std::array<std::string_view, kActionCount> kNames = {
    "read", "preview", "update", "refresh", "destroy", "cancel", "approve", "admin", "audit"};

}  // namespace

std::string_view action_name(Action a) {
  return kNames[static_cast<std::size_t>(a)];
}

std::optional<Action> parse_action(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return kAllActions[i];
  }
  return std::nullopt;
}

std::vector<std::string> ActionSet::names() const {
  std::vector<std::string> out;
  for (Action a : kAllActions) {
    if (has(a)) out.emplace_back(action_name(a));
  }
  return out;
}

}  // namespace sg::policy
