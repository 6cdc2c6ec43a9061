#include "policy/condition.hpp"

#include <array>
#include <utility>

namespace sg::policy {
namespace {

constexpr std::string_view kTagPrefix = "tag.";

constexpr std::array<std::pair<std::string_view, StackAttribute::Kind>, 6> kNames = {{
    {"owner", StackAttribute::Kind::kOwner},
    {"org", StackAttribute::Kind::kOrg},
    {"project", StackAttribute::Kind::kProject},
    {"stack", StackAttribute::Kind::kStack},
    {"system", StackAttribute::Kind::kSystem},
    {"lifecycle", StackAttribute::Kind::kLifecycle},
}};

}  // namespace

Result<StackAttribute> StackAttribute::parse(std::string_view key) {
  for (const auto& [n, kind] : kNames) {
    if (n == key) return StackAttribute(kind, std::string(key));
  }
  if (key.starts_with(kTagPrefix) && key.size() > kTagPrefix.size()) {
    return StackAttribute(Kind::kTag, std::string(key));
  }
  return make_error(Errc::kInvalidArgument,
                    "unknown stack attribute; expected tag.<name>, owner, org, project, stack, "
                    "system or lifecycle");
}

std::string_view StackAttribute::value(const Stack& s) const {
  switch (kind_) {
    case Kind::kTag: {
      auto it = s.tags.find(std::string_view(name_).substr(kTagPrefix.size()));
      return it == s.tags.end() ? std::string_view() : std::string_view(it->second);
    }
    case Kind::kOwner:
      return s.owner;
    case Kind::kOrg:
      return s.org;
    case Kind::kProject:
      return s.project;
    case Kind::kStack:
      return s.name;
    case Kind::kSystem:
      return s.system;
    case Kind::kLifecycle:
      return s.lifecycle;
  }
  return {};
}

bool StackCondition::holds(const Stack& stack, const Principal& who) const {
  std::string_view v = attribute.value(stack);
  if (v.empty()) return false;
  for (const ValuePattern& p : values) {
    if (p.matches(v, who)) return true;
  }
  return false;
}

bool PrincipalCondition::holds(const Principal& who) const {
  return attribute.any_value(who, [&](std::string_view v) {
    for (const ValuePattern& p : values) {
      if (p.matches(v, who)) return true;
    }
    return false;
  });
}

}  // namespace sg::policy
