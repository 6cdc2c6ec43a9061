#include "tokens/run_claims.hpp"

#include <algorithm>
#include <string_view>

#include <boost/json/array.hpp>

namespace sg::tokens {
namespace {

namespace json = boost::json;

bool is_part_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

Status check_part(std::string_view what, std::string_view value) {
  if (value.empty())
    return make_error(Errc::kInvalidArgument, "the run's " + std::string(what) + " is empty");
  if (value.size() > kMaxRunPartBytes) {
    return make_error(Errc::kInvalidArgument, "the run's " + std::string(what) +
                                                  " is longer than " +
                                                  std::to_string(kMaxRunPartBytes) + " bytes");
  }
  if (!std::ranges::all_of(value, is_part_char)) {
    return make_error(Errc::kInvalidArgument,
                      "the run's " + std::string(what) + " has a character outside [A-Za-z0-9._-]");
  }
  return {};
}

}  // namespace

Status check_run_claims(const RunClaims& run) {
  Status s = check_part("org", run.org);
  if (s) s = check_part("project", run.project);
  if (s) s = check_part("stack", run.stack);
  if (s) s = check_part("operation", run.operation);
  if (s) s = check_part("run id", run.run_id);
  return s;
}

std::string run_subject(const RunClaims& run) {
  return "stack:" + run.org + "/" + run.project + "/" + run.stack + ":operation:" + run.operation;
}

void put_run_claims(const RunClaims& run, const policy::Principal& requester, json::object& out) {
  out["sub"] = run_subject(run);
  out["run_id"] = run.run_id;
  out["stack"] = run.org + "/" + run.project + "/" + run.stack;
  out["operation"] = run.operation;
  out["requester"] = requester.subject;
  out["requester_idp"] = requester.issuer;
  out["requester_kind"] = requester.kind == policy::PrincipalKind::kMachine ? "machine" : "user";
  if (!requester.email.empty()) out["requester_email"] = requester.email;
  if (!requester.name.empty()) out["requester_name"] = requester.name;
  if (!requester.act.empty()) {
    json::array act;
    for (const std::string& agent : requester.act)
      act.emplace_back(agent);
    out["requester_act"] = std::move(act);
  }
}

}  // namespace sg::tokens
