// Conditions are the `when:` entries of the policy: a rule's StackCondition tests an attribute of
// the stack, a binding's PrincipalCondition an attribute of the principal.
//
// Each condition has a list of ValuePatterns and holds when any value of the attribute matches any
// pattern ("a list on either side means any element matches"). A condition on a missing attribute
// is false. A `when:` mapping holds when all its conditions hold; an empty one always holds.
// Immutable value types; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "policy/attribute.hpp"
#include "policy/principal.hpp"
#include "policy/stack.hpp"
#include "policy/value_pattern.hpp"

namespace sg::policy {

class StackAttribute {
 public:
  enum class Kind { kTag, kOwner, kOrg, kProject, kStack, kSystem, kLifecycle };

  // "tag.<name>", "owner", "org", "project", "stack", "system" or "lifecycle". Errors:
  // kInvalidArgument listing them.
  static Result<StackAttribute> parse(std::string_view key);

  Kind kind() const { return kind_; }
  const std::string& name() const { return name_; }  // as written
  // The attribute of `s`; empty when missing.
  std::string_view value(const Stack& s) const;

 private:
  StackAttribute(Kind kind, std::string name) : kind_(kind), name_(std::move(name)) {}
  Kind kind_;
  std::string name_;
};

struct StackCondition {
  StackAttribute attribute;
  std::vector<ValuePattern> values;

  bool holds(const Stack& stack, const Principal& who) const;
};

struct PrincipalCondition {
  PrincipalAttribute attribute;
  std::vector<ValuePattern> values;  // without templates

  bool holds(const Principal& who) const;
};

}  // namespace sg::policy
