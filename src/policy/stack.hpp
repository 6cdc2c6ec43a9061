// Stack is one Pulumi stack as the policy sees it: its reference ("org/project/stack") and the
// attributes rules can test — tags, owner, system, lifecycle.
//
// The configuration's `projects[].stacks[]` fill them today; the Backstage catalog fills owner,
// system and lifecycle later. An attribute that is empty is missing, and a condition on a missing
// attribute is false. Plain value type; not synchronised (share it as const).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sg::policy {

inline constexpr std::size_t kMaxStackNameBytes = 100;

// [A-Za-z0-9._-]: the characters of organisation, project and stack names.
bool is_stack_name_char(char c);

struct StackRef {
  std::string org;
  std::string project;
  std::string name;

  std::string to_string() const { return org + "/" + project + "/" + name; }
  friend bool operator==(const StackRef&, const StackRef&) = default;
};

// "org/project/stack" with three non-empty names of is_stack_name_char characters, each at most
// kMaxStackNameBytes. Errors: kInvalidArgument saying what is wrong (never echoing the input).
Result<StackRef> parse_stack_ref(std::string_view text);

struct Stack {
  std::string org;
  std::string project;
  std::string name;
  std::string ref;  // "org/project/name", kept so matching does not rebuild it
  std::map<std::string, std::string, std::less<>> tags;
  std::string owner;  // an entity ref, e.g. "group:default/payments"
  std::string system;
  std::string lifecycle;

  // A stack with only its names set (and `ref` built from them).
  static Stack named(std::string org, std::string project, std::string name);
  static Stack named(const StackRef& r) { return named(r.org, r.project, r.name); }
};

}  // namespace sg::policy
