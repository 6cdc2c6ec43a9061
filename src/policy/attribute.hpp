// PrincipalAttribute names one attribute of a Principal in policy text — `subject`, `issuer`,
// `kind`, `email`, `name`, `team`, `groups`, `ownership` or `claim.<path>` — and reads its values.
//
// Scalar attributes have one value, or none when empty; `groups` and `ownership` have one per
// element; `claim.<path>` has those of policy/claim_path.hpp. A missing attribute has no values,
// so every condition on it is false. Immutable value type; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "policy/claim_path.hpp"
#include "policy/principal.hpp"

namespace sg::policy {

class PrincipalAttribute {
 public:
  enum class Kind { kSubject, kIssuer, kKind, kEmail, kName, kTeam, kGroups, kOwnership, kClaim };

  // Errors: kInvalidArgument listing the attributes (or saying the claim path is empty or long).
  static Result<PrincipalAttribute> parse(std::string_view name);

  Kind kind() const { return kind_; }
  // As written: "team", "claim.realm.roles".
  const std::string& name() const { return name_; }

  // Calls f(std::string_view) for each value of the attribute of `who`; returns true as soon as f
  // does.
  template <typename F>
  bool any_value(const Principal& who, F&& f) const {
    auto one = [&f](const std::string& s) { return !s.empty() && f(std::string_view(s)); };
    auto each = [&f](const std::vector<std::string>& v) {
      for (const std::string& s : v) {
        if (!s.empty() && f(std::string_view(s))) return true;
      }
      return false;
    };
    switch (kind_) {
      case Kind::kSubject:
        return one(who.subject);
      case Kind::kIssuer:
        return one(who.issuer);
      case Kind::kKind:
        return f(std::string_view(who.kind == PrincipalKind::kMachine ? "machine" : "user"));
      case Kind::kEmail:
        return one(who.email);
      case Kind::kName:
        return one(who.name);
      case Kind::kTeam:
        return one(who.team);
      case Kind::kGroups:
        return each(who.groups);
      case Kind::kOwnership:
        return each(who.ownership);
      case Kind::kClaim:
        return any_claim_text(find_claim(who.claims, claim_path()), f);
    }
    return false;
  }

  // The path after "claim."; empty for the other kinds.
  std::string_view claim_path() const;

 private:
  PrincipalAttribute(Kind kind, std::string name) : kind_(kind), name_(std::move(name)) {}
  Kind kind_;
  std::string name_;
};

}  // namespace sg::policy
