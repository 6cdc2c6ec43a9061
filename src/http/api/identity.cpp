#include "http/api/identity.hpp"

#include <boost/json/serialize.hpp>

#include "common/duration.hpp"
#include "http/api/json_body.hpp"
#include "http/error_status.hpp"

namespace sg::http::api {
namespace {

bool is_loopback(std::string_view ip) {
  return ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127.");
}

// {"subject", "email"?, "name"?, "team"?, "groups"?: [..], "ttl"?: "15m"} → DevTokenRequest.
Result<identity::DevTokenRequest> read_dev_request(const Request& req) {
  auto body = parse_json_body(req);
  if (!body) return body.error();
  JsonFields f(*body);
  identity::DevTokenRequest r;
  f.string("subject", r.subject, true);
  f.string("email", r.email);
  f.string("name", r.name);
  f.string("team", r.team);
  f.strings("groups", r.groups);
  std::string ttl;
  if (f.string("ttl", ttl) && !ttl.empty()) {
    auto d = parse_duration(ttl);
    if (!d) return make_error(Errc::kInvalidArgument, "ttl: " + d.error().message);
    r.ttl = std::chrono::duration_cast<std::chrono::seconds>(*d);
  }
  if (Status s = f.finish(); !s) return s.error();
  return r;
}

}  // namespace

void add_identity_routes(Router& router, IdentityDeps deps) {
  if (!deps.dev) return;
  router.add(Method::kPost, "/dev/token", [deps](Request& req) {
    if (!is_loopback(req.remote_ip)) {
      return error_response({Errc::kForbidden, "development tokens are minted for loopback only"});
    }
    auto request = read_dev_request(req);
    if (!request) return error_response(request.error());
    auto token = deps.dev->mint(*request, deps.clock.now());
    if (!token) return error_response(token.error());
    auto ttl = request->ttl.value_or(identity::kDevDefaultTtl);
    if (ttl > identity::kDevMaxTtl) ttl = identity::kDevMaxTtl;
    boost::json::object out;
    out["access_token"] = *token;
    out["token_type"] = "Bearer";
    out["expires_in"] = ttl.count();
    deps.log.info("development token minted",
                  {{"request_id", req.request_id}, {"subject", request->subject}});
    return Response::json(200, boost::json::serialize(out));
  });
}

}  // namespace sg::http::api
