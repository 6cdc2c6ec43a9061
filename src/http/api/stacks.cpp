// /v1/stacks and /v1/stacks/{org}/{project}/{stack} (see authorization.hpp).
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "http/api/authorization.hpp"
#include "http/audit_events.hpp"
#include "http/authenticate.hpp"
#include "http/error_status.hpp"
#include "http/query.hpp"
#include "policy/decision_json.hpp"
#include "policy/evaluator.hpp"

namespace sg::http::api {
namespace {

using policy::Action;
using policy::Verdict;

constexpr std::size_t kDefaultLimit = 100;
constexpr std::size_t kMaxLimit = 1000;

boost::json::object stack_json(const policy::Stack& s, const policy::Permissions& perm) {
  boost::json::object o;
  o["ref"] = s.ref;
  o["org"] = s.org;
  o["project"] = s.project;
  o["name"] = s.name;
  boost::json::object tags;
  for (const auto& [k, v] : s.tags)
    tags[k] = v;
  o["tags"] = std::move(tags);
  if (!s.owner.empty()) o["owner"] = s.owner;
  if (!s.system.empty()) o["system"] = s.system;
  if (!s.lifecycle.empty()) o["lifecycle"] = s.lifecycle;
  o["actions"] = policy::actions_json(perm.allowed);
  o["approval_required"] = policy::actions_json(perm.with_approval);
  return o;
}

Response list_stacks(const AuthorizationDeps& deps, Request& req) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  auto query = Query::parse(req.query);
  if (!query) return error_response(query.error());
  if (Status s = query->only({"limit", "cursor", "org", "project"}); !s) {
    return error_response(s.error());
  }
  auto limit = query->integer("limit", 1, kMaxLimit, kDefaultLimit);
  if (!limit) return error_response(limit.error());
  std::string_view cursor = query->get("cursor").value_or("");
  std::string_view org = query->get("org").value_or("");
  std::string_view project = query->get("project").value_or("");

  const policy::Principal& who = **principal;
  auto policy = deps.policy.current();
  auto stacks = deps.stacks.snapshot();
  policy::RoleSet roles = policy::roles_of(*policy, who);
  const auto& all = stacks->all();
  // The cursor is the reference of the last stack of the previous page.
  auto it = cursor.empty() ? all.begin()
                           : std::ranges::upper_bound(all, cursor, {}, [](const policy::Stack& s) {
                               return std::string_view(s.ref);
                             });
  boost::json::array page;
  std::string last;
  bool more = false;
  for (; it != all.end(); ++it) {
    const policy::Stack& s = *it;
    if ((!org.empty() && s.org != org) || (!project.empty() && s.project != project)) continue;
    if (policy::verdict_of(*policy, who, roles, Action::kRead, s) != Verdict::kAllow) continue;
    if (page.size() == static_cast<std::size_t>(*limit)) {
      more = true;
      break;
    }
    page.push_back(stack_json(s, policy::permissions_on(*policy, who, roles, s)));
    last = s.ref;
  }
  boost::json::object out;
  out["stacks"] = std::move(page);
  out["next_cursor"] = more ? boost::json::value(last) : boost::json::value(nullptr);
  return Response::json(200, boost::json::serialize(out));
}

Response get_stack(const AuthorizationDeps& deps, Request& req) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  std::string text = std::string(req.param("org")) + "/" + std::string(req.param("project")) + "/" +
                     std::string(req.param("stack"));
  auto ref = policy::parse_stack_ref(text);
  if (!ref) return error_response({Errc::kInvalidArgument, ref.error().message});
  const policy::Principal& who = **principal;
  auto policy = deps.policy.current();
  auto stacks = deps.stacks.snapshot();
  const policy::Stack* known = stacks->find(text);
  policy::Stack bare = policy::Stack::named(*ref);
  const policy::Stack& target = known != nullptr ? *known : bare;
  policy::Decision decision = policy::evaluate(*policy, who, Action::kRead, target);
  Response r;
  if (decision.verdict != Verdict::kAllow) {
    // The same answer whether or not the stack exists.
    r = error_response({Errc::kForbidden, "not allowed to read " + text});
  } else if (known == nullptr) {
    r = error_response({Errc::kNotFound, "no stack " + text});
  } else {
    policy::RoleSet roles = policy::roles_of(*policy, who);
    boost::json::object out =
        stack_json(*known, policy::permissions_on(*policy, who, roles, *known));
    r = Response::json(200, boost::json::serialize(out));
  }
  r.audit.push_back(decision_event(req, who, Action::kRead, text, decision));
  return r;
}

}  // namespace

void add_stack_routes(Router& router, AuthorizationDeps deps) {
  router.add(Method::kGet, "/v1/stacks", [deps](Request& req) { return list_stacks(deps, req); });
  router.add(Method::kGet, "/v1/stacks/{org}/{project}/{stack}",
             [deps](Request& req) { return get_stack(deps, req); });
}

}  // namespace sg::http::api
