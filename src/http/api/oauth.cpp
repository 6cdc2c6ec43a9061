#include "http/api/oauth.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "http/api/form_body.hpp"
#include "http/audit_events.hpp"
#include "http/bearer.hpp"
#include "http/error_status.hpp"
#include "jose/verify_options.hpp"
#include "policy/evaluator.hpp"
#include "tokens/exchange.hpp"
#include "tokens/token_events.hpp"

namespace sg::http::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kDiscoveryCache = "public, max-age=300";
constexpr std::string_view kJwksCache = "public, max-age=60";
// A jti revoked without its token is kept revoked this long beyond max_ttl, for verifiers' leeway.
constexpr std::chrono::seconds kRevokeMargin = jose::kMaxLeeway;

// Cache-Control: no-store is the session's default; RFC 6749 §5.1 also asks for Pragma.
Response no_store(Response r) {
  r.headers.emplace_back("Pragma", "no-cache");
  return r;
}

Response cached_json(const json::object& body, std::string_view cache) {
  Response r = Response::json(200, json::serialize(body));
  r.headers.emplace_back("Cache-Control", std::string(cache));
  return r;
}

json::object discovery(const std::string& issuer) {
  json::array algs{"ES256", "EdDSA"};
  return json::object{
      {"issuer", issuer},
      {"jwks_uri", issuer + "/.well-known/jwks.json"},
      {"token_endpoint", issuer + "/oauth/token"},
      {"revocation_endpoint", issuer + "/oauth/revoke"},
      {"introspection_endpoint", issuer + "/oauth/introspect"},
      {"grant_types_supported", json::array{tokens::kGrantTokenExchange}},
      {"response_types_supported", json::array{"id_token"}},
      {"subject_types_supported", json::array{"public"}},
      {"id_token_signing_alg_values_supported", algs},
      {"token_endpoint_auth_methods_supported", json::array{"none"}},
      {"introspection_endpoint_auth_methods_supported", json::array{"bearer"}},
      {"revocation_endpoint_auth_methods_supported", json::array{"none", "bearer"}},
      {"claims_supported",
       json::array{"iss", "sub", "aud", "iat", "nbf", "exp", "jti", "scope", "client_id", "act",
                   "idp", "kind", "email", "name", "team", "groups", "ownership", "origin_claims"}},
  };
}

std::string param(const Query& q, std::string_view name) {
  auto v = q.get(name);
  return v ? std::string(*v) : std::string();
}

Result<tokens::ExchangeRequest> read_exchange(const Query& q) {
  tokens::ExchangeRequest r;
  r.grant_type = param(q, "grant_type");
  r.subject_token = param(q, "subject_token");
  r.subject_token_type = param(q, "subject_token_type");
  r.actor_token = param(q, "actor_token");
  r.actor_token_type = param(q, "actor_token_type");
  r.scope = param(q, "scope");
  r.audience = param(q, "audience");
  r.requested_token_type = param(q, "requested_token_type");
  // RFC 8693 `resource` names the target by URI: the same as an audience here.
  if (std::string resource = param(q, "resource"); !resource.empty()) {
    if (!r.audience.empty() && r.audience != resource) {
      return make_error(Errc::kInvalidTarget, "resource and audience name different targets");
    }
    r.audience = std::move(resource);
  }
  if (q.get("requested_ttl")) {
    Result<std::int64_t> ttl = q.integer("requested_ttl", 1, 10LL * 365 * 24 * 3600, 0);
    if (!ttl) return ttl.error();
    r.requested_ttl = *ttl;
  }
  return r;
}

bool looks_like_jti(std::string_view s) {
  return s.size() == 32 && std::ranges::all_of(s, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Response token_endpoint(const OAuthDeps& d, Request& req) {
  Result<Query> form = parse_form_body(req);
  if (!form) return oauth_error_response(form.error());
  Result<tokens::ExchangeRequest> request = read_exchange(*form);
  if (!request) return oauth_error_response(request.error());
  const std::shared_ptr<const policy::Policy> policy = d.policy.current();
  const std::shared_ptr<const catalog::StackSet> stacks = d.stacks.snapshot();
  tokens::ExchangeContext ctx{d.auth, d.minter, *policy, stacks->all(), d.audiences};
  tokens::ExchangeTrace trace;
  Result<tokens::ExchangeOutcome> out = tokens::exchange(*request, ctx, d.clock.now(), &trace);
  if (!out) {
    Response r = oauth_error_response(out.error());
    if (trace.token_failure) {
      r.audit.push_back(auth_failed_event(req, *trace.token_failure));
    } else if (trace.subject && (out.error().code == Errc::kInvalidScope ||
                                 out.error().code == Errc::kInvalidTarget ||
                                 out.error().code == Errc::kInvalidArgument)) {
      audit::AuditEvent e = tokens::refused_event(*trace.subject, out.error());
      e.request = audit_request(req);
      r.audit.push_back(std::move(e));
    }
    d.log.info("token exchange refused", {{"request_id", req.request_id},
                                          {"reason", code_name(out.error().code)},
                                          {"detail", out.error().message}});
    return r;
  }
  const tokens::IssuedToken& issued = out->issued;
  json::object body{{"access_token", issued.token},
                    {"issued_token_type", out->issued_token_type},
                    {"token_type", issued.shape == tokens::TokenShape::kIdToken ? "N_A" : "Bearer"},
                    {"expires_in", issued.expires_at - unix_seconds(d.clock.now())}};
  if (issued.scope) body["scope"] = issued.scope->to_string();
  Response r = no_store(Response::json(200, json::serialize(body)));
  audit::AuditEvent e = tokens::issued_event(issued, *out->subject, out->actor.get(),
                                             out->earlier_actors, "exchange");
  e.request = audit_request(req);
  r.audit.push_back(std::move(e));
  d.log.info("token issued", {{"request_id", req.request_id},
                              {"jti", issued.jti},
                              {"subject", out->subject->subject},
                              {"aud", issued.audience},
                              {"exp", issued.expires_at}});
  return r;
}

Response revoke_endpoint(const OAuthDeps& d, Request& req) {
  Result<Query> form = parse_form_body(req);
  if (!form) return oauth_error_response(form.error());
  const std::string token = param(*form, "token");
  if (token.empty()) return oauth_error_response({Errc::kInvalidArgument, "token is required"});
  const Time now = d.clock.now();

  // A caller who authenticates may revoke by jti if the policy makes them an admin.
  std::shared_ptr<const policy::Principal> caller;
  if (req.header("Authorization")) {
    Result<std::string_view> bearer = bearer_token(req);
    auto who = bearer ? d.auth.authenticate(*bearer)
                      : Result<std::shared_ptr<const policy::Principal>>(bearer.error());
    if (!who) {
      Response r = oauth_error_response(who.error());
      r.audit.push_back(auth_failed_event(req, who.error()));
      return r;
    }
    caller = std::move(*who);
  }

  Result<tokens::InspectedToken> inspected = d.self.inspect(token, now);
  if (inspected) {
    const std::string& jti = *inspected->claims.jti();
    Response r = no_store(Response::json(200, "{}"));
    if (inspected->revoked) return r;
    const std::int64_t exp = inspected->claims.exp().value_or(unix_seconds(now));
    if (Status s = d.revoked.revoke(jti, exp, now); !s) return oauth_error_response(s.error());
    d.auth.invalidate(token);
    audit::AuditEvent e =
        tokens::revoked_event(jti, exp, caller ? *caller : inspected->principal, "holder");
    e.request = audit_request(req);
    r.audit.push_back(std::move(e));
    d.log.info("token revoked", {{"request_id", req.request_id}, {"jti", jti}});
    return r;
  }
  if (caller && looks_like_jti(token)) {
    const std::shared_ptr<const policy::Policy> policy = d.policy.current();
    policy::Decision decision = policy::evaluate_global(*policy, *caller, policy::Action::kAdmin);
    if (decision.verdict != policy::Verdict::kAllow) {
      Response r = oauth_error_response(
          {Errc::kForbidden, "revoking a token by jti needs the admin action"});
      r.audit.push_back(decision_event(req, *caller, policy::Action::kAdmin, "", decision));
      return r;
    }
    const std::int64_t exp = unix_seconds(now) + std::chrono::duration_cast<std::chrono::seconds>(
                                                     d.minter.settings().max_ttl + kRevokeMargin)
                                                     .count();
    Response r = no_store(Response::json(200, "{}"));
    if (d.revoked.is_revoked(token)) return r;
    if (Status s = d.revoked.revoke(token, exp, now); !s) return oauth_error_response(s.error());
    audit::AuditEvent e = tokens::revoked_event(token, exp, *caller, "admin");
    e.request = audit_request(req);
    r.audit.push_back(std::move(e));
    d.log.info("token revoked", {{"request_id", req.request_id}, {"jti", token}});
    return r;
  }
  // RFC 7009 §2.2: an invalid token (not ours, expired, malformed) is answered 200 all the same.
  return no_store(Response::json(200, "{}"));
}

Response introspect_endpoint(const OAuthDeps& d, Request& req) {
  Result<std::string_view> bearer = bearer_token(req);
  auto caller = bearer ? d.auth.authenticate(*bearer)
                       : Result<std::shared_ptr<const policy::Principal>>(bearer.error());
  if (!caller) {
    Response r = oauth_error_response(caller.error());
    r.audit.push_back(auth_failed_event(req, caller.error()));
    return r;
  }
  const std::shared_ptr<const policy::Policy> policy = d.policy.current();
  policy::Decision decision = policy::evaluate_global(*policy, **caller, policy::Action::kAdmin);
  audit::AuditEvent event = decision_event(req, **caller, policy::Action::kAdmin, "", decision);
  if (decision.verdict != policy::Verdict::kAllow) {
    Response r = oauth_error_response({Errc::kForbidden, "introspection needs the admin action"});
    r.audit.push_back(std::move(event));
    return r;
  }
  Result<Query> form = parse_form_body(req);
  if (!form) return oauth_error_response(form.error());
  const std::string token = param(*form, "token");
  if (token.empty()) return oauth_error_response({Errc::kInvalidArgument, "token is required"});
  Result<tokens::InspectedToken> inspected = d.self.inspect(token, d.clock.now());
  json::object body;
  if (!inspected || inspected->revoked) {
    body["active"] = false;
  } else {
    body = inspected->claims.json();
    const bool oauth_token = body.contains("scope") || body.contains("client_id");
    body["active"] = true;
    body["token_type"] = oauth_token ? "Bearer" : "N_A";
  }
  Response r = no_store(Response::json(200, json::serialize(body)));
  r.audit.push_back(std::move(event));
  return r;
}

}  // namespace

void add_oauth_routes(Router& router, OAuthDeps deps) {
  auto d = std::make_shared<const OAuthDeps>(std::move(deps));
  const std::string issuer = d->minter.settings().issuer;
  auto document = std::make_shared<const json::object>(discovery(issuer));
  router.add(Method::kGet, "/.well-known/openid-configuration",
             [document](Request&) { return cached_json(*document, kDiscoveryCache); });
  router.add(Method::kGet, "/.well-known/oauth-authorization-server",
             [document](Request&) { return cached_json(*document, kDiscoveryCache); });
  router.add(Method::kGet, "/.well-known/jwks.json", [d](Request&) {
    return cached_json(d->keys.public_jwks(d->clock.now()), kJwksCache);
  });
  router.add(Method::kPost, "/oauth/token", [d](Request& req) { return token_endpoint(*d, req); });
  router.add(Method::kPost, "/oauth/revoke",
             [d](Request& req) { return revoke_endpoint(*d, req); });
  router.add(Method::kPost, "/oauth/introspect",
             [d](Request& req) { return introspect_endpoint(*d, req); });
}

}  // namespace sg::http::api
