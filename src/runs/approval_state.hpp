// ApprovalState is what a run awaiting approval needs and has: the policy's approval needs (any one
// of them suffices) and the approvals given so far, kept in the run's `approval` column as JSON.
//
// An approval records who gave it and which of the approver roles they held at that moment; a need
// {approvers: [roles], count: n} is met once n distinct people holding one of its roles approved.
// Who may approve at all (the `approve` action on the stack; never the requester) is the run
// service's check; this type only counts. from_json is strict and bounded, since the column is
// read back from the store. Plain value type; not synchronised.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "policy/evaluator.hpp"

namespace sg::runs {

struct Approval {
  std::string subject;
  std::string issuer;
  std::vector<std::string> roles;  // the approver roles of the needs that they held
  std::string at;                  // RFC 3339 UTC

  friend bool operator==(const Approval&, const Approval&) = default;
};

struct ApprovalState {
  static constexpr std::size_t kMaxNeeds = 32;
  static constexpr std::size_t kMaxApprovals = 64;

  std::vector<policy::ApprovalNeed> needs;
  std::vector<Approval> approvals;

  // Whether `subject` of `issuer` has approved already.
  bool approved_by(std::string_view subject, std::string_view issuer) const;

  // The roles among `held` that some need accepts; empty: this person cannot approve.
  std::vector<std::string> qualifying_roles(const std::vector<std::string>& held) const;

  // Whether some need has `count` distinct approvals from holders of its roles.
  bool satisfied() const;

  // The approvals still missing for the need closest to being met.
  unsigned remaining() const;

  // {"needs":[{"approvers":[…],"count":n,"rule":"…"}],"approvals":[{"subject","issuer","roles","at"}]}
  boost::json::object to_json() const;
  // Errors: kInvalidArgument naming what is wrong.
  static Result<ApprovalState> from_json(std::string_view text);
};

}  // namespace sg::runs
