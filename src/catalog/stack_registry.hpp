// StackRegistry is the set of stacks the gateway knows, with the attributes policy rules test.
//
// Built from the configuration's `projects[].stacks[]` (tags, owner, system, lifecycle); the
// catalog sync will later replace the set with one whose owner, system and lifecycle come from
// Backstage. Readers take a snapshot — an immutable StackSet shared by pointer — so a replacement
// never changes a set someone is iterating. Thread-safe: snapshot() and replace() may race freely.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "policy/stack.hpp"

namespace sg::catalog {

// An immutable set of stacks, sorted by reference.
class StackSet {
 public:
  explicit StackSet(std::vector<policy::Stack> stacks);

  const std::vector<policy::Stack>& all() const { return stacks_; }
  // The stack with reference "org/project/stack", or nullptr.
  const policy::Stack* find(std::string_view ref) const;
  std::size_t size() const { return stacks_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<policy::Stack> stacks_;
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> by_ref_;
};

// The stacks of `projects`, as the configuration declares them.
std::vector<policy::Stack> stacks_from_config(const std::vector<config::ProjectConfig>& projects);

class StackRegistry {
 public:
  explicit StackRegistry(std::vector<policy::Stack> stacks);

  std::shared_ptr<const StackSet> snapshot() const;
  void replace(std::vector<policy::Stack> stacks);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const StackSet> current_;
};

}  // namespace sg::catalog
