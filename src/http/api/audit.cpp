#include "http/api/audit.hpp"

#include <memory>
#include <mutex>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "audit/checkpoint_keys.hpp"
#include "audit/report_json.hpp"
#include "audit/verify.hpp"
#include "common/clock.hpp"
#include "http/audit_events.hpp"
#include "http/authenticate.hpp"
#include "http/error_status.hpp"
#include "http/query.hpp"
#include "policy/evaluator.hpp"

namespace sg::http::api {
namespace {

constexpr std::size_t kDefaultLimit = 100;
constexpr std::size_t kMaxLimit = 1000;

// The caller, if the policy grants it `audit`; otherwise the 401/403 to send. Either way the
// response carries the events to record.
struct Gate {
  std::shared_ptr<const policy::Principal> who;
  Response refusal;
  audit::AuditEvent event;
};

Gate gate(const AuditDeps& deps, Request& req) {
  Gate g;
  auto principal = authenticate(req, deps.auth, deps.log);
  if (!principal) {
    g.refusal = unauthenticated(req, principal.error());
    return g;
  }
  policy::Decision decision =
      policy::evaluate_global(*deps.policy.current(), **principal, policy::Action::kAudit);
  g.event = decision_event(req, **principal, policy::Action::kAudit, "", decision);
  if (decision.verdict != policy::Verdict::kAllow) {
    g.refusal = error_response({Errc::kForbidden, "not allowed to read the audit log"});
    g.refusal.audit.push_back(std::move(g.event));
    return g;
  }
  g.who = std::move(*principal);
  return g;
}

Result<std::optional<Time>> read_time(const Query& q, std::string_view name) {
  auto text = q.get(name);
  if (!text) return std::optional<Time>();
  auto t = parse_rfc3339(*text);
  if (!t) return make_error(Errc::kInvalidArgument, std::string(name) + ": " + t.error().message);
  return std::optional<Time>(*t);
}

Result<store::AuditQuery> read_query(const Request& req) {
  auto q = Query::parse(req.query);
  if (!q) return q.error();
  if (Status s =
          q->only({"since", "until", "actor", "stack", "type", "decision", "cursor", "limit"});
      !s) {
    return s.error();
  }
  store::AuditQuery out;
  auto since = read_time(*q, "since");
  if (!since) return since.error();
  auto until = read_time(*q, "until");
  if (!until) return until.error();
  out.since = *since;
  out.until = *until;
  auto cursor = q->integer("cursor", 0, INT64_MAX, 0);
  if (!cursor) return cursor.error();
  out.after_seq = *cursor;
  auto limit = q->integer("limit", 1, kMaxLimit, kDefaultLimit);
  if (!limit) return limit.error();
  out.limit = static_cast<std::size_t>(*limit);
  auto text = [&](std::string_view name, std::optional<std::string>& into) {
    if (auto v = q->get(name); v) into = std::string(*v);
  };
  text("actor", out.actor_subject);
  text("stack", out.stack);
  text("type", out.type);
  text("decision", out.decision);
  return out;
}

Response list_events(const AuditDeps& deps, Request& req) {
  Gate g = gate(deps, req);
  if (!g.who) return std::move(g.refusal);
  Response r;
  auto query = read_query(req);
  if (!query) {
    r = error_response(query.error());
  } else if (auto rows = deps.store.read_audit(*query); !rows) {
    r = error_response(rows.error());
  } else {
    // Bodies are the stored canonical JSON: sent as they are, so a client can re-check each hash
    // byte for byte. Each is checked to be a JSON object first, so a damaged row cannot break the
    // response apart (verification reports it).
    std::string body = "{\"events\":[";
    bool first = true;
    for (const store::AuditRecord& row : *rows) {
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(row.body, ec);
      if (ec || !v.is_object()) {
        deps.log.error("stored audit event is not a JSON object; run audit verify",
                       {{"seq", row.seq}});
        r = error_response({Errc::kInternal, "a stored audit event is damaged"});
        r.audit.push_back(std::move(g.event));
        return r;
      }
      if (!first) body += ',';
      first = false;
      body += row.body;
    }
    body += ']';
    if (rows->size() == query->limit && !rows->empty()) {
      body += ",\"next_cursor\":\"" + std::to_string(rows->back().seq) + "\"";
    }
    body += '}';
    r = Response::json(200, std::move(body));
  }
  r.audit.push_back(std::move(g.event));
  return r;
}

Response verify(const AuditDeps& deps, Request& req, std::mutex& one_at_a_time) {
  Gate g = gate(deps, req);
  if (!g.who) return std::move(g.refusal);
  Response r;
  std::unique_lock lock(one_at_a_time, std::try_to_lock);
  if (!lock.owns_lock()) {
    r = error_response({Errc::kTooManyRequests, "a verification is already running"});
  } else if (auto keys = audit::checkpoint_verification_keys(deps.store); !keys) {
    r = error_response(keys.error());
  } else if (auto report = deps.audit.verify(*keys); !report) {
    r = error_response(report.error());
  } else {
    if (!report->ok()) {
      deps.log.error("audit verification failed", {{"seq", report->bad_seq},
                                                   {"fault", audit::fault_name(report->fault)},
                                                   {"reason", report->reason}});
    }
    r = Response::json(200, boost::json::serialize(audit::report_to_json(*report)));
  }
  r.audit.push_back(std::move(g.event));
  return r;
}

}  // namespace

void add_audit_routes(Router& router, AuditDeps deps) {
  router.add(Method::kGet, "/v1/audit", [deps](Request& req) { return list_events(deps, req); });
  auto one_at_a_time = std::make_shared<std::mutex>();
  router.add(Method::kGet, "/v1/audit/verify",
             [deps, one_at_a_time](Request& req) { return verify(deps, req, *one_at_a_time); });
}

}  // namespace sg::http::api
