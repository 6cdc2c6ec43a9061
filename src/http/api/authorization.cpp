#include "http/api/authorization.hpp"

#include <boost/json/serialize.hpp>

#include "http/api/json_body.hpp"
#include "http/audit_events.hpp"
#include "http/authenticate.hpp"
#include "http/error_status.hpp"
#include "policy/decision_json.hpp"
#include "policy/evaluator.hpp"
#include "policy/principal_json.hpp"

namespace sg::http::api {
namespace {

using policy::Action;

boost::json::array strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const std::string& s : v)
    a.emplace_back(s);
  return a;
}

// One rule of a role the principal holds, with its templates resolved against the principal; null
// when a condition resolves to nothing (the rule can never match for this principal).
boost::json::value rule_json(const policy::Policy& p, std::size_t role, const policy::Rule& r,
                             const policy::Principal& who) {
  boost::json::object o;
  o["role"] = p.roles()[role].name;
  o["effect"] = r.effect == policy::Effect::kAllow ? "allow" : "deny";
  o["actions"] = policy::actions_json(r.actions);
  boost::json::array stacks;
  for (const policy::Glob& g : r.stacks)
    stacks.emplace_back(g.text());
  o["stacks"] = std::move(stacks);
  if (!r.when.empty()) {
    boost::json::object when;
    for (const policy::StackCondition& c : r.when) {
      std::vector<std::string> values;
      for (const policy::ValuePattern& v : c.values) {
        auto resolved = v.resolve(who);
        values.insert(values.end(), resolved.begin(), resolved.end());
      }
      if (values.empty()) return nullptr;
      when[c.attribute.name()] = strings(values);
    }
    o["when"] = std::move(when);
  }
  if (r.approval) {
    std::vector<std::string> approvers;
    for (std::size_t a : r.approval->approvers)
      approvers.push_back(p.roles()[a].name);
    o["approval"] = {{"approvers", strings(approvers)}, {"count", r.approval->count}};
  }
  return o;
}

Response whoami(const AuthorizationDeps& deps, Request& req) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  const policy::Principal& who = **principal;
  auto policy = deps.policy.current();
  policy::RoleSet roles = policy::roles_of(*policy, who);
  boost::json::object out;
  out["principal"] = policy::principal_to_json(who);
  boost::json::array role_names, permissions, global;
  for (std::size_t r : roles.members()) {
    role_names.emplace_back(policy->roles()[r].name);
    for (const policy::Rule& rule : policy->roles()[r].rules) {
      boost::json::value v = rule_json(*policy, r, rule, who);
      if (!v.is_null()) permissions.push_back(std::move(v));
    }
  }
  for (Action a : policy::kAllActions) {
    if (!policy::is_global(a)) continue;
    if (policy::evaluate_global(*policy, who, a).verdict == policy::Verdict::kAllow) {
      global.emplace_back(policy::action_name(a));
    }
  }
  out["roles"] = std::move(role_names);
  out["permissions"] = std::move(permissions);
  out["global_actions"] = std::move(global);
  return Response::json(200, boost::json::serialize(out));
}

struct AuthorizeRequest {
  Action action = Action::kRead;
  std::optional<policy::StackRef> stack;
};

Result<AuthorizeRequest> read_authorize(const Request& req) {
  auto body = parse_json_body(req);
  if (!body) return body.error();
  JsonFields f(*body);
  std::string action, stack;
  f.string("action", action, true);
  f.string("stack", stack);
  if (Status s = f.finish(); !s) return s.error();
  AuthorizeRequest out;
  auto a = policy::parse_action(action);
  if (!a) {
    return make_error(Errc::kInvalidArgument,
                      "action: expected read, preview, update, refresh, destroy, cancel, approve, "
                      "admin or audit");
  }
  out.action = *a;
  if (policy::is_global(*a)) {
    if (!stack.empty() && stack != "*") {
      return make_error(Errc::kInvalidArgument, "stack: " + std::string(policy::action_name(*a)) +
                                                    " is not about one stack; leave stack out");
    }
    return out;
  }
  if (stack.empty()) return make_error(Errc::kInvalidArgument, "stack: required");
  auto ref = policy::parse_stack_ref(stack);
  if (!ref) return make_error(Errc::kInvalidArgument, "stack: " + ref.error().message);
  out.stack = std::move(*ref);
  return out;
}

Response authorize(const AuthorizationDeps& deps, Request& req) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  auto request = read_authorize(req);
  if (!request) return error_response(request.error());
  const policy::Principal& who = **principal;
  auto policy = deps.policy.current();

  policy::Decision decision;
  std::string target = "*";
  if (!request->stack) {
    decision = policy::evaluate_global(*policy, who, request->action);
  } else {
    target = request->stack->to_string();
    auto stacks = deps.stacks.snapshot();
    const policy::Stack* known = stacks->find(target);
    policy::Stack bare;
    if (known == nullptr) {
      // Unknown: a 404 only for a caller who could read such a stack; anyone else gets the same
      // answer as for a stack that exists but that they may not read.
      bare = policy::Stack::named(*request->stack);
      policy::Decision read = policy::evaluate(*policy, who, Action::kRead, bare);
      if (read.verdict == policy::Verdict::kAllow) {
        Response r = error_response({Errc::kNotFound, "no stack " + target});
        r.audit.push_back(decision_event(req, who, Action::kRead, target, read));
        return r;
      }
    }
    decision = policy::evaluate(*policy, who, request->action, known != nullptr ? *known : bare);
  }
  deps.log.info("authorization decision", {{"request_id", req.request_id},
                                           {"subject", who.subject},
                                           {"issuer", who.issuer},
                                           {"action", policy::action_name(request->action)},
                                           {"stack", target},
                                           {"decision", policy::verdict_name(decision.verdict)}});
  boost::json::object out = policy::decision_json(decision);
  out["action"] = policy::action_name(request->action);
  out["stack"] = target;
  out["principal"] = policy::principal_to_json(who);
  Response r = Response::json(200, boost::json::serialize(out));
  r.audit.push_back(decision_event(req, who, request->action,
                                   request->stack ? std::string_view(target) : std::string_view(),
                                   decision));
  return r;
}

}  // namespace

void add_authorization_routes(Router& router, AuthorizationDeps deps) {
  router.add(Method::kGet, "/v1/whoami", [deps](Request& req) { return whoami(deps, req); });
  router.add(Method::kPost, "/v1/authorize", [deps](Request& req) { return authorize(deps, req); });
}

}  // namespace sg::http::api
