#include "policy/policy.hpp"

#include <filesystem>
#include <stdexcept>

namespace sg::policy {
namespace {

std::string position(const std::string& label, SourcePos pos) {
  if (pos.line == 0) return label;
  return label + ":" + std::to_string(pos.line);
}

}  // namespace

Policy::Policy(std::string file, std::vector<Role> roles, std::vector<Binding> bindings)
    : file_(std::move(file)), roles_(std::move(roles)), bindings_(std::move(bindings)) {
  label_ = std::filesystem::path(file_).filename().string();
  if (label_.empty()) label_ = file_;
  auto check_role = [this](std::size_t index) {
    if (index >= roles_.size()) throw std::invalid_argument("policy: role index out of range");
  };
  for (std::size_t i = 0; i < roles_.size(); ++i) {
    role_by_name_.emplace(roles_[i].name, i);
    for (std::size_t j = 0; j < roles_[i].rules.size(); ++j) {
      const Rule& r = roles_[i].rules[j];
      if (r.approval) {
        for (std::size_t a : r.approval->approvers)
          check_role(a);
      }
      index_rule(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
      ++rule_count_;
    }
  }
  for (const Binding& b : bindings_) {
    for (std::size_t r : b.roles)
      check_role(r);
  }
}

void Policy::index_rule(std::uint32_t role, std::uint32_t rule) {
  const Rule& r = roles_[role].rules[rule];
  for (std::uint32_t g = 0; g < r.stacks.size(); ++g) {
    std::string_view prefix = r.stacks[g].literal_prefix();
    std::size_t first = prefix.find('/');
    std::size_t second = first == std::string_view::npos ? first : prefix.find('/', first + 1);
    for (Action a : kAllActions) {
      if (!r.actions.has(a)) continue;
      ActionIndex& index = index_[static_cast<std::size_t>(a)];
      Entry e{role, rule, g};
      if (second != std::string_view::npos) {
        index.by_project[std::string(prefix.substr(0, second))].push_back(e);
      } else if (first != std::string_view::npos) {
        index.by_org[std::string(prefix.substr(0, first))].push_back(e);
      } else {
        index.any.push_back(e);
      }
    }
  }
}

std::optional<std::size_t> Policy::find_role(std::string_view name) const {
  auto it = role_by_name_.find(name);
  if (it == role_by_name_.end()) return std::nullopt;
  return it->second;
}

std::string Policy::describe(RuleRef r) const {
  return "role " + roles_[r.role].name + ", rule " + std::to_string(r.rule + 1) + " (" +
         position(label_, rule(r).pos) + ")";
}

std::string Policy::describe_binding(std::size_t index) const {
  return "binding " + std::to_string(index + 1) + " (" + position(label_, bindings_[index].pos) +
         ")";
}

}  // namespace sg::policy
