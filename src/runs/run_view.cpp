#include "runs/run_view.hpp"

#include <boost/json/parse.hpp>

namespace sg::runs {
namespace {

namespace json = boost::json;

json::value text_or_null(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

// A column the gateway wrote as a JSON object; null if empty (or, never expected, unreadable).
json::value object_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return nullptr;
  return v;
}

json::object requester_json(const store::RunRecord& run) {
  json::object out{{"subject", run.requester}};
  json::value stored = object_or_null(run.principal);
  if (!stored.is_object()) return out;
  const json::object& p = stored.get_object();
  for (std::string_view key : {"issuer", "kind", "name", "email", "act"}) {
    if (const json::value* v = p.if_contains(key); v != nullptr) {
      if (v->is_string() && v->get_string().empty()) continue;
      if (v->is_array() && v->get_array().empty()) continue;
      out[key] = *v;
    }
  }
  return out;
}

}  // namespace

json::object run_json(const store::RunRecord& run) {
  json::object o;
  o["id"] = run.id;
  o["stack"] = run.stack;
  o["operation"] = run.operation;
  o["status"] = run.status;
  o["message"] = run.message;
  o["requester"] = requester_json(run);
  o["created_at"] = run.created_at;
  o["updated_at"] = run.updated_at;
  o["started_at"] = text_or_null(run.started_at);
  o["finished_at"] = text_or_null(run.finished_at);
  o["expires_at"] = text_or_null(run.expires_at);
  o["approval"] = object_or_null(run.approval);
  o["cancel_requested_by"] = text_or_null(run.cancel_requested_by);
  o["exit_code"] = run.exit_code ? json::value(*run.exit_code) : json::value(nullptr);
  o["reason"] = text_or_null(run.reason);
  o["summary"] = object_or_null(run.summary);
  o["events_url"] = "/v1/runs/" + run.id + "/events";
  return o;
}

}  // namespace sg::runs
