#include "runs/approval_state.hpp"

#include <algorithm>
#include <limits>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "jose/json_reader.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;

Error bad(std::string what) {
  return {Errc::kInvalidArgument, "run approval: " + std::move(what)};
}

Result<std::vector<std::string>> strings_of(const json::object& o, std::string_view key,
                                            std::size_t max) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return bad(std::string(key) + " must be an array");
  const json::array& a = v->get_array();
  if (a.size() > max) return bad(std::string(key) + " has too many items");
  std::vector<std::string> out;
  for (const json::value& item : a) {
    if (!item.is_string()) return bad(std::string(key) + " must hold strings");
    out.emplace_back(item.get_string());
  }
  return out;
}

Result<std::string> string_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return bad(std::string(key) + " must be a string");
  return std::string(v->get_string());
}

json::array to_array(const std::vector<std::string>& items) {
  json::array a;
  for (const std::string& s : items)
    a.emplace_back(s);
  return a;
}

bool holds_any(const Approval& a, const policy::ApprovalNeed& need) {
  return std::any_of(a.roles.begin(), a.roles.end(), [&](const std::string& r) {
    return std::find(need.approvers.begin(), need.approvers.end(), r) != need.approvers.end();
  });
}

unsigned count_for(const std::vector<Approval>& approvals, const policy::ApprovalNeed& need) {
  unsigned n = 0;
  for (const Approval& a : approvals) {
    if (holds_any(a, need)) ++n;
  }
  return n;
}

}  // namespace

bool ApprovalState::approved_by(std::string_view subject, std::string_view issuer) const {
  return std::any_of(approvals.begin(), approvals.end(),
                     [&](const Approval& a) { return a.subject == subject && a.issuer == issuer; });
}

std::vector<std::string> ApprovalState::qualifying_roles(
    const std::vector<std::string>& held) const {
  std::vector<std::string> out;
  for (const std::string& role : held) {
    bool accepted = std::any_of(needs.begin(), needs.end(), [&](const policy::ApprovalNeed& n) {
      return std::find(n.approvers.begin(), n.approvers.end(), role) != n.approvers.end();
    });
    if (accepted && std::find(out.begin(), out.end(), role) == out.end()) out.push_back(role);
  }
  return out;
}

bool ApprovalState::satisfied() const {
  return std::any_of(needs.begin(), needs.end(), [&](const policy::ApprovalNeed& need) {
    return count_for(approvals, need) >= need.count;
  });
}

unsigned ApprovalState::remaining() const {
  unsigned best = std::numeric_limits<unsigned>::max();
  for (const policy::ApprovalNeed& need : needs) {
    unsigned have = count_for(approvals, need);
    best = std::min(best, have >= need.count ? 0U : need.count - have);
  }
  return needs.empty() ? 0 : best;
}

json::object ApprovalState::to_json() const {
  json::array n;
  for (const policy::ApprovalNeed& need : needs) {
    n.emplace_back(json::object{
        {"approvers", to_array(need.approvers)}, {"count", need.count}, {"rule", need.rule}});
  }
  json::array a;
  for (const Approval& approval : approvals) {
    a.emplace_back(json::object{{"subject", approval.subject},
                                {"issuer", approval.issuer},
                                {"roles", to_array(approval.roles)},
                                {"at", approval.at}});
  }
  return json::object{{"needs", std::move(n)}, {"approvals", std::move(a)}};
}

Result<ApprovalState> ApprovalState::from_json(std::string_view text) {
  jose::JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  auto parsed = jose::parse_strict_object(text, limits, "run approval", Errc::kInvalidArgument);
  if (!parsed) return parsed.error();
  const json::object& o = *parsed;
  ApprovalState state;
  const json::value* needs = o.if_contains("needs");
  const json::value* approvals = o.if_contains("approvals");
  if (needs == nullptr || !needs->is_array()) return bad("needs must be an array");
  if (approvals == nullptr || !approvals->is_array()) return bad("approvals must be an array");
  if (needs->get_array().size() > kMaxNeeds) return bad("too many needs");
  if (approvals->get_array().size() > kMaxApprovals) return bad("too many approvals");
  for (const json::value& v : needs->get_array()) {
    if (!v.is_object()) return bad("a need must be an object");
    const json::object& n = v.get_object();
    policy::ApprovalNeed need;
    auto approvers = strings_of(n, "approvers", kMaxNeeds);
    if (!approvers) return approvers.error();
    need.approvers = std::move(*approvers);
    const json::value* count = n.if_contains("count");
    if (count == nullptr || !count->is_int64() || count->get_int64() < 1 ||
        count->get_int64() > 1000) {
      return bad("count must be an integer from 1 to 1000");
    }
    need.count = static_cast<unsigned>(count->get_int64());
    auto rule = string_of(n, "rule");
    if (!rule) return rule.error();
    need.rule = std::move(*rule);
    state.needs.push_back(std::move(need));
  }
  for (const json::value& v : approvals->get_array()) {
    if (!v.is_object()) return bad("an approval must be an object");
    const json::object& a = v.get_object();
    Approval approval;
    auto subject = string_of(a, "subject");
    auto issuer = string_of(a, "issuer");
    auto at = string_of(a, "at");
    auto roles = strings_of(a, "roles", kMaxNeeds);
    if (!subject) return subject.error();
    if (!issuer) return issuer.error();
    if (!at) return at.error();
    if (!roles) return roles.error();
    approval.subject = std::move(*subject);
    approval.issuer = std::move(*issuer);
    approval.at = std::move(*at);
    approval.roles = std::move(*roles);
    state.approvals.push_back(std::move(approval));
  }
  return state;
}

}  // namespace sg::runs
