#include "catalog/stack_registry.hpp"

#include <algorithm>

namespace sg::catalog {

StackSet::StackSet(std::vector<policy::Stack> stacks) : stacks_(std::move(stacks)) {
  std::ranges::sort(stacks_, {}, &policy::Stack::ref);
  // A later duplicate of a reference is dropped: the configuration loader already refuses them.
  auto dup = std::ranges::unique(stacks_, {}, &policy::Stack::ref);
  stacks_.erase(dup.begin(), dup.end());
  by_ref_.reserve(stacks_.size());
  for (std::size_t i = 0; i < stacks_.size(); ++i)
    by_ref_.emplace(stacks_[i].ref, i);
}

const policy::Stack* StackSet::find(std::string_view ref) const {
  auto it = by_ref_.find(ref);
  return it == by_ref_.end() ? nullptr : &stacks_[it->second];
}

std::vector<policy::Stack> stacks_from_config(const std::vector<config::ProjectConfig>& projects) {
  std::vector<policy::Stack> out;
  for (const config::ProjectConfig& p : projects) {
    for (const config::StackConfig& s : p.stacks) {
      policy::Stack stack = policy::Stack::named(p.org, p.name, s.name);
      for (const auto& [k, v] : s.tags)
        stack.tags.emplace(k, v);
      stack.owner = s.owner;
      stack.system = s.system;
      stack.lifecycle = s.lifecycle;
      out.push_back(std::move(stack));
    }
  }
  return out;
}

StackRegistry::StackRegistry(std::vector<policy::Stack> stacks)
    : current_(std::make_shared<const StackSet>(std::move(stacks))) {}

std::shared_ptr<const StackSet> StackRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void StackRegistry::replace(std::vector<policy::Stack> stacks) {
  auto next = std::make_shared<const StackSet>(std::move(stacks));
  std::lock_guard lock(mutex_);
  current_ = std::move(next);
}

}  // namespace sg::catalog
