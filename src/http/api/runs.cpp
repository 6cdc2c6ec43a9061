#include "http/api/runs.hpp"

#include <boost/json/serialize.hpp>

#include "http/api/json_body.hpp"
#include "http/api/run_event_stream.hpp"
#include "http/audit_events.hpp"
#include "http/authenticate.hpp"
#include "http/error_status.hpp"
#include "http/query.hpp"
#include "runs/run_view.hpp"

namespace sg::http::api {
namespace {

namespace json = boost::json;

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::size_t kMaxStatuses = 9;

Response run_response(int status, const store::RunRecord& run) {
  return Response::json(status, json::serialize(runs::run_json(run)));
}

// The body of a POST that may be empty: an empty body reads as {}.
Result<json::object> optional_body(const Request& req) {
  if (req.body.empty()) return json::object{};
  return parse_json_body(req);
}

Response create(const RunsDeps& deps, Request& req) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  auto body = parse_json_body(req);
  if (!body) return error_response(body.error());
  JsonFields fields(*body);
  std::string operation;
  std::string message;
  fields.string("operation", operation, true);
  fields.string("message", message);
  if (Status s = fields.finish(); !s) return error_response(s.error());
  std::string stack = std::string(req.param("org")) + "/" + std::string(req.param("project")) +
                      "/" + std::string(req.param("stack"));
  auto change =
      deps.runs.create(runs::RunCaller{**principal, audit_request(req)}, stack, operation, message);
  if (!change) return error_response(change.error());
  Response r = run_response(202, change->run);
  r.headers.emplace_back("Location", "/v1/runs/" + change->run.id);
  return r;
}

Result<runs::RunFilter> read_filter(const Request& req) {
  auto q = Query::parse(req.query);
  if (!q) return q.error();
  if (Status s = q->only({"stack", "status", "principal", "cursor", "limit"}); !s) return s.error();
  runs::RunFilter f;
  if (auto v = q->get("stack")) f.stack = std::string(*v);
  if (auto v = q->get("principal")) f.requester = std::string(*v);
  if (auto v = q->get("status")) {
    std::vector<std::string> statuses;
    std::string_view rest = *v;
    while (!rest.empty() || statuses.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view one = rest.substr(0, comma);
      if (!runs::parse_status(one)) {
        return Error{Errc::kInvalidArgument,
                     "status: expected a comma-separated list of awaiting_approval, queued, "
                     "running, succeeded, failed, cancelled, timed_out, rejected, orphaned"};
      }
      statuses.emplace_back(one);
      if (statuses.size() > kMaxStatuses) {
        return Error{Errc::kInvalidArgument, "status: too many values"};
      }
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
      if (rest.empty()) {
        return Error{Errc::kInvalidArgument, "status: a trailing comma"};
      }
    }
    f.statuses = std::move(statuses);
  }
  auto cursor = q->integer("cursor", 1, INT64_MAX, 0);
  if (!cursor) return cursor.error();
  if (*cursor > 0) f.before_seq = *cursor;
  auto limit = q->integer("limit", 1, static_cast<std::int64_t>(store::kMaxRunPage), kDefaultLimit);
  if (!limit) return limit.error();
  f.limit = static_cast<std::size_t>(*limit);
  return f;
}

Response list(const RunsDeps& deps, Request& req) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  auto filter = read_filter(req);
  if (!filter) return error_response(filter.error());
  auto page = deps.runs.list(**principal, *filter);
  if (!page) return error_response(page.error());
  json::array items;
  for (const store::RunRecord& run : page->first)
    items.emplace_back(runs::run_json(run));
  json::object out{{"runs", std::move(items)}};
  if (page->second != 0) out["next_cursor"] = std::to_string(page->second);
  return Response::json(200, json::serialize(out));
}

Response get(const RunsDeps& deps, Request& req) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  auto run = deps.runs.get(**principal, req.param("id"));
  if (!run) return error_response(run.error());
  return run_response(200, *run);
}

enum class Control { kCancel, kApprove, kReject };

Response control(const RunsDeps& deps, Request& req, Control what) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  auto body = optional_body(req);
  if (!body) return error_response(body.error());
  JsonFields fields(*body);
  std::string reason;
  if (what == Control::kReject) fields.string("reason", reason);
  if (Status s = fields.finish(); !s) return error_response(s.error());
  runs::RunCaller caller{**principal, audit_request(req)};
  Result<runs::RunChange> change = Error{Errc::kInternal, "unreachable"};
  switch (what) {
    case Control::kCancel:
      change = deps.runs.cancel(caller, req.param("id"));
      break;
    case Control::kApprove:
      change = deps.runs.approve(caller, req.param("id"));
      break;
    case Control::kReject:
      change = deps.runs.reject(caller, req.param("id"), reason);
      break;
  }
  if (!change) return error_response(change.error());
  return run_response(change->accepted_only ? 202 : 200, change->run);
}

Response events(const RunsDeps& deps, Request& req) {
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) return unauthenticated(req, principal.error());
  auto q = Query::parse(req.query);
  if (!q) return error_response(q.error());
  if (Status s = q->only({"after"}); !s) return error_response(s.error());
  auto after = q->integer("after", 0, INT64_MAX, 0);
  if (!after) return error_response(after.error());
  std::int64_t from = *after;
  if (auto last = req.header("Last-Event-ID"); last && !last->empty()) {
    // The id of the last event the client saw; it wins over ?after=.
    std::int64_t seq = 0;
    for (char c : *last) {
      if (c < '0' || c > '9' || seq > (INT64_MAX - 9) / 10) {
        return error_response({Errc::kInvalidArgument, "Last-Event-ID: expected an event id"});
      }
      seq = seq * 10 + (c - '0');
    }
    from = seq;
  }
  auto run = deps.runs.get(**principal, req.param("id"));
  if (!run) return error_response(run.error());
  Response r;
  r.status = 200;
  r.content_type = kEventStream;
  r.stream = std::make_shared<RunEventStream>(deps.runs, run->id, from, deps.heartbeat);
  return r;
}

}  // namespace

void add_run_routes(Router& router, RunsDeps deps) {
  router.add(Method::kPost, "/v1/stacks/{org}/{project}/{stack}/runs",
             [deps](Request& req) { return create(deps, req); });
  router.add(Method::kGet, "/v1/runs", [deps](Request& req) { return list(deps, req); });
  router.add(Method::kGet, "/v1/runs/{id}", [deps](Request& req) { return get(deps, req); });
  router.add(Method::kGet, "/v1/runs/{id}/events",
             [deps](Request& req) { return events(deps, req); });
  router.add(Method::kPost, "/v1/runs/{id}/cancel",
             [deps](Request& req) { return control(deps, req, Control::kCancel); });
  router.add(Method::kPost, "/v1/runs/{id}/approve",
             [deps](Request& req) { return control(deps, req, Control::kApprove); });
  router.add(Method::kPost, "/v1/runs/{id}/reject",
             [deps](Request& req) { return control(deps, req, Control::kReject); });
}

}  // namespace sg::http::api
