#include "tokens/token_claims.hpp"

#include <array>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace sg::tokens {
namespace {

namespace json = boost::json;

// Claims with a meaning of their own in the token that carries them: never carried over from the
// token of origin.
constexpr std::array<std::string_view, 12> kRegistered = {
    "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "act", "scope", "client_id", "cnf", "may_act"};

// Earlier actors nested deeper than this are refused when read back (we never write so many).
constexpr std::size_t kMaxActDepth = 16;

bool registered(std::string_view name) {
  for (std::string_view r : kRegistered) {
    if (r == name) return true;
  }
  return false;
}

std::string_view kind_name(policy::PrincipalKind kind) {
  return kind == policy::PrincipalKind::kMachine ? "machine" : "user";
}

json::array string_array(const std::vector<std::string>& values) {
  json::array out;
  out.reserve(values.size());
  for (const std::string& v : values)
    out.emplace_back(v);
  return out;
}

// The attributes of `who` as claims, into `out`.
Status put_attributes(const policy::Principal& who, std::string_view role, json::object& out) {
  out["idp"] = who.issuer;
  out["kind"] = kind_name(who.kind);
  if (!who.email.empty()) out["email"] = who.email;
  if (!who.name.empty()) out["name"] = who.name;
  if (!who.team.empty()) out["team"] = who.team;
  if (!who.groups.empty()) out["groups"] = string_array(who.groups);
  if (!who.ownership.empty()) out["ownership"] = string_array(who.ownership);
  json::object carried;
  for (const auto& member : who.claims) {
    if (!registered(member.key())) carried.emplace(member.key(), member.value());
  }
  if (carried.empty()) return {};
  const std::size_t bytes = json::serialize(carried).size();
  if (bytes > kMaxCarriedClaimsBytes) {
    return make_error(Errc::kInvalidArgument,
                      std::string(role) + " token has " + std::to_string(bytes) +
                          " bytes of claims to carry; at most " +
                          std::to_string(kMaxCarriedClaimsBytes) + " fit in a stackgate token");
  }
  out["origin_claims"] = std::move(carried);
  return {};
}

// {"sub": earlier[i], "act": {…earlier[i+1]…}} for the actors before the current one.
json::object earlier_chain(const std::vector<std::string>& earlier, std::size_t i) {
  json::object o;
  o["sub"] = earlier[i];
  if (i + 1 < earlier.size()) o["act"] = earlier_chain(earlier, i + 1);
  return o;
}

Error malformed(std::string_view claim, std::string_view expected) {
  return make_error(Errc::kMalformedToken,
                    "token claim " + std::string(claim) + " is not " + std::string(expected));
}

Status read_string(const json::object& o, std::string_view name, std::string& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return {};
  if (!v->is_string()) return malformed(name, "a string");
  out.assign(v->get_string().data(), v->get_string().size());
  return {};
}

Status read_list(const json::object& o, std::string_view name, std::vector<std::string>& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return {};
  if (!v->is_array()) return malformed(name, "an array of strings");
  for (const json::value& item : v->get_array()) {
    if (!item.is_string()) return malformed(name, "an array of strings");
    out.emplace_back(item.get_string().data(), item.get_string().size());
  }
  return {};
}

// Subject, attributes, carried claims and scope of one party (the subject, or an actor).
Status read_party(const json::object& o, policy::Principal& p) {
  const json::value* sub = o.if_contains("sub");
  if (sub == nullptr || !sub->is_string() || sub->get_string().empty()) {
    return malformed("sub", "a non-empty string");
  }
  p.subject.assign(sub->get_string().data(), sub->get_string().size());
  if (Status s = read_string(o, "idp", p.issuer); !s) return s;
  std::string kind = "user";
  if (Status s = read_string(o, "kind", kind); !s) return s;
  if (kind == "machine") {
    p.kind = policy::PrincipalKind::kMachine;
  } else if (kind != "user") {
    return malformed("kind", "\"user\" or \"machine\"");
  }
  if (Status s = read_string(o, "email", p.email); !s) return s;
  if (Status s = read_string(o, "name", p.name); !s) return s;
  if (Status s = read_string(o, "team", p.team); !s) return s;
  if (Status s = read_list(o, "groups", p.groups); !s) return s;
  if (Status s = read_list(o, "ownership", p.ownership); !s) return s;
  if (const json::value* carried = o.if_contains("origin_claims")) {
    if (!carried->is_object()) return malformed("origin_claims", "an object");
    p.claims = carried->get_object();
  }
  if (const json::value* scope = o.if_contains("scope")) {
    if (!scope->is_string()) return malformed("scope", "a string");
    Result<policy::Scope> parsed = policy::Scope::parse(scope->get_string());
    if (!parsed) return malformed("scope", "a valid scope");
    p.scope = std::move(*parsed);
  }
  return {};
}

// A run token: the registered claims, then the run and its requester (tokens/run_claims.hpp).
Result<json::object> run_token_claims(const TokenContent& c) {
  if (Status s = check_run_claims(*c.run); !s) return s.error();
  if (c.shape != TokenShape::kIdToken || c.actor || c.scope) {
    return make_error(Errc::kInvalidArgument,
                      "a run token is ID-token shaped and has no actor or scope of its own");
  }
  json::object out;
  out["iss"] = c.issuer;
  out["sub"] = "";  // put_run_claims sets it; first, so that it keeps its usual place
  out["aud"] = c.audience;
  out["iat"] = c.issued_at;
  out["nbf"] = c.issued_at;
  out["exp"] = c.expires_at;
  out["jti"] = c.jti;
  put_run_claims(*c.run, c.subject, out);
  return out;
}

}  // namespace

boost::json::object header_fields(TokenShape shape) {
  return json::object{{"typ", shape == TokenShape::kIdToken ? "JWT" : "at+jwt"}};
}

Result<boost::json::object> token_claims(const TokenContent& c) {
  if (c.run) return run_token_claims(c);
  json::object out;
  out["iss"] = c.issuer;
  out["sub"] = c.subject.subject;
  out["aud"] = c.audience;
  out["iat"] = c.issued_at;
  out["nbf"] = c.issued_at;
  out["exp"] = c.expires_at;
  out["jti"] = c.jti;
  if (Status s = put_attributes(c.subject, "the subject", out); !s) return s.error();
  if (c.shape == TokenShape::kAccessToken) {
    out["client_id"] = c.actor ? c.actor->subject : c.subject.subject;
    if (c.scope) out["scope"] = c.scope->to_string();
  }
  if (c.actor) {
    json::object act;
    act["sub"] = c.actor->subject;
    if (Status s = put_attributes(*c.actor, "the actor", act); !s) return s.error();
    if (c.actor->scope) act["scope"] = c.actor->scope->to_string();
    if (!c.earlier_actors.empty()) act["act"] = earlier_chain(c.earlier_actors, 0);
    out["act"] = std::move(act);
  }
  return out;
}

Result<policy::Principal> token_principal(const boost::json::object& claims) {
  policy::Principal p;
  if (Status s = read_party(claims, p); !s) return s.error();
  if (const json::value* jti = claims.if_contains("jti"); jti != nullptr && jti->is_string()) {
    p.token_id.assign(jti->get_string().data(), jti->get_string().size());
  }
  if (const json::value* exp = claims.if_contains("exp"); exp != nullptr && exp->is_int64()) {
    p.expires_at = exp->get_int64();
  }
  const json::value* act = claims.if_contains("act");
  if (act == nullptr) return p;
  if (!act->is_object()) return malformed("act", "an object");
  auto actor = std::make_shared<policy::Principal>();
  if (Status s = read_party(act->get_object(), *actor); !s) return s.error();
  actor->expires_at = p.expires_at;
  p.act.push_back(actor->subject);
  for (const json::value* earlier = act->get_object().if_contains("act"); earlier != nullptr;) {
    if (p.act.size() > kMaxActDepth) return malformed("act", "nested at most 16 deep");
    if (!earlier->is_object()) return malformed("act", "an object");
    const json::value* sub = earlier->get_object().if_contains("sub");
    if (sub == nullptr || !sub->is_string() || sub->get_string().empty()) {
      return malformed("act.sub", "a non-empty string");
    }
    p.act.emplace_back(sub->get_string().data(), sub->get_string().size());
    earlier = earlier->get_object().if_contains("act");
  }
  p.actor = std::move(actor);
  return p;
}

}  // namespace sg::tokens
