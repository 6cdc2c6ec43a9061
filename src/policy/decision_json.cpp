#include "policy/decision_json.hpp"

namespace sg::policy {
namespace {

boost::json::array strings(const std::vector<std::string>& v) {
  boost::json::array a;
  a.reserve(v.size());
  for (const std::string& s : v)
    a.emplace_back(s);
  return a;
}

}  // namespace

boost::json::object decision_json(const Decision& d) {
  boost::json::object o;
  o["decision"] = verdict_name(d.verdict);
  o["roles"] = strings(d.roles);
  o["reasons"] = strings(d.reasons);
  if (d.verdict == Verdict::kApprovalRequired) {
    boost::json::array approvals;
    for (const ApprovalNeed& a : d.approvals) {
      boost::json::object n;
      n["approvers"] = strings(a.approvers);
      n["count"] = a.count;
      n["rule"] = a.rule;
      approvals.push_back(std::move(n));
    }
    o["approvals"] = std::move(approvals);
  }
  return o;
}

boost::json::array actions_json(ActionSet s) {
  return strings(s.names());
}

}  // namespace sg::policy
