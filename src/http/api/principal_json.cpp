#include "http/api/principal_json.hpp"

#include <boost/json/array.hpp>

namespace sg::http::api {
namespace {

boost::json::array strings(const std::vector<std::string>& v) {
  boost::json::array a;
  a.reserve(v.size());
  for (const std::string& s : v)
    a.emplace_back(s);
  return a;
}

}  // namespace

boost::json::object principal_json(const policy::Principal& p) {
  boost::json::object o;
  o["subject"] = p.subject;
  o["issuer"] = p.issuer;
  o["kind"] = p.kind == policy::PrincipalKind::kMachine ? "machine" : "user";
  o["email"] = p.email;
  o["name"] = p.name;
  o["team"] = p.team;
  o["groups"] = strings(p.groups);
  o["ownership"] = strings(p.ownership);
  o["act"] = strings(p.act);
  o["expires_at"] = p.expires_at;
  return o;
}

}  // namespace sg::http::api
