#include "http/api/ops.hpp"

#include "common/json_text.hpp"

namespace sg::http::api {

void add_ops_routes(Router& router, OpsDeps deps) {
  router.add(Method::kGet, "/healthz",
             [](Request&) { return Response::json(200, "{\"status\":\"ok\"}"); });

  router.add(Method::kGet, "/readyz", [deps](Request& req) {
    bool ready = !deps.shutting_down.load();
    std::string checks;
    for (const Readiness::Outcome& o : deps.readiness.evaluate()) {
      if (!checks.empty()) checks.push_back(',');
      append_json_string(checks, o.name);
      if (o.status.ok()) {
        checks += ":{\"ok\":true";
        if (!o.warning.empty()) {
          checks += ",\"warning\":";
          append_json_string(checks, o.warning);
        }
        checks += "}";
        continue;
      }
      ready = false;
      checks += ":{\"ok\":false,\"error\":";
      append_json_string(checks, code_name(o.status.code()));
      checks += "}";
      deps.log.warn(
          "readiness check failed",
          {{"request_id", req.request_id}, {"check", o.name}, {"error", o.status.error().message}});
    }
    std::string body = "{\"status\":";
    body +=
        ready ? "\"ready\"" : (deps.shutting_down.load() ? "\"shutting_down\"" : "\"not_ready\"");
    body += ",\"checks\":{" + checks + "}}";
    return Response::json(ready ? 200 : 503, std::move(body));
  });

  router.add(Method::kGet, "/metrics", [deps](Request&) {
    return Response{200, kPrometheusText, deps.metrics.render(), {}, {}, {}};
  });
}

}  // namespace sg::http::api
