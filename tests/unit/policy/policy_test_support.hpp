// Helpers for the policy tests: compile a policy from YAML text (failing the test on any
// diagnostic), and build principals and stacks tersely.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "policy/policy_loader.hpp"
#include "policy/principal.hpp"
#include "policy/stack.hpp"

namespace sg::policy::testing {

inline std::shared_ptr<const Policy> compile(const std::string& yaml) {
  PolicyLoadResult r = load_policy_text(yaml, "policy.yaml");
  for (const auto& d : r.diagnostics)
    ADD_FAILURE() << d.to_string();
  return r.policy;
}

inline config::Diagnostics errors_of(const std::string& yaml) {
  return load_policy_text(yaml, "policy.yaml").diagnostics;
}

inline Stack stack(const std::string& ref, std::map<std::string, std::string> tags = {},
                   std::string owner = "", std::string system = "", std::string lifecycle = "") {
  auto r = parse_stack_ref(ref);
  EXPECT_TRUE(r.ok()) << ref;
  Stack s = Stack::named(*r);
  for (auto& [k, v] : tags)
    s.tags.emplace(k, v);
  s.owner = std::move(owner);
  s.system = std::move(system);
  s.lifecycle = std::move(lifecycle);
  return s;
}

inline Principal user(std::string subject, std::string issuer = "corp-sso") {
  Principal p;
  p.subject = std::move(subject);
  p.issuer = std::move(issuer);
  return p;
}

}  // namespace sg::policy::testing
