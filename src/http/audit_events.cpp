#include "http/audit_events.hpp"

#include <algorithm>

#include "http/error_status.hpp"
#include "tokens/token_events.hpp"

namespace sg::http {
namespace {

constexpr std::size_t kMaxUserAgent = 256;
constexpr std::size_t kMaxReason = 2048;
constexpr std::size_t kMaxMessage = 512;
constexpr std::size_t kMaxRoles = 64;

}  // namespace

audit::AuditRequest audit_request(const Request& request) {
  audit::AuditRequest r;
  r.id = audit::clean_text(request.request_id, 128);
  if (!request.remote_ip.empty()) r.ip = request.remote_ip;
  if (auto ua = request.header("User-Agent"); ua && !ua->empty()) {
    r.user_agent = audit::clean_text(*ua, kMaxUserAgent);
  }
  return r;
}

audit::AuditActor audit_actor(const policy::Principal& who) {
  return tokens::audit_actor(who);
}

audit::AuditEvent auth_failed_event(const Request& request, const Error& error) {
  audit::AuditEvent e;
  e.type = std::string(audit::event_type::kAuthFailed);
  e.reason = std::string(code_name(error.code));
  e.request = audit_request(request);
  e.details = {{"message", audit::clean_text(error.message, kMaxMessage)},
               {"path", audit::clean_text(request.path, 256)}};
  return e;
}

audit::AuditEvent decision_event(const Request& request, const policy::Principal& who,
                                 policy::Action action, std::string_view stack,
                                 const policy::Decision& decision) {
  audit::AuditEvent e;
  e.type = std::string(audit::event_type::kAuthzDecision);
  e.actor = audit_actor(who);
  if (!stack.empty()) e.resource = audit::AuditResource{std::string(stack)};
  e.action = std::string(policy::action_name(action));
  e.decision = std::string(policy::verdict_name(decision.verdict));
  std::string reason;
  for (const std::string& r : decision.reasons) {
    if (!reason.empty()) reason += "; ";
    reason += r;
  }
  if (!reason.empty()) e.reason = audit::clean_text(reason, kMaxReason);
  e.request = audit_request(request);
  boost::json::array roles;
  for (std::size_t i = 0; i < std::min(decision.roles.size(), kMaxRoles); ++i)
    roles.emplace_back(decision.roles[i]);
  e.details = {{"roles", std::move(roles)}};
  return e;
}

Response unauthenticated(const Request& request, const Error& error) {
  Response r = error_response(error);
  r.audit.push_back(auth_failed_event(request, error));
  return r;
}

}  // namespace sg::http
