#include "tokens/token_events.hpp"

#include <string>

namespace sg::tokens {

audit::AuditActor audit_actor(const policy::Principal& who) {
  audit::AuditActor a;
  a.subject = who.subject;
  a.issuer = who.issuer;
  a.kind = who.kind == policy::PrincipalKind::kMachine ? "machine" : "user";
  if (!who.name.empty()) a.name = who.name;
  if (!who.email.empty()) a.email = who.email;
  a.act = who.act;
  return a;
}

audit::AuditEvent issued_event(const IssuedToken& token, const policy::Principal& subject,
                               const policy::Principal* actor,
                               const std::vector<std::string>& earlier, std::string_view how) {
  audit::AuditEvent e;
  e.type = std::string(audit::event_type::kTokenIssued);
  e.actor = audit_actor(subject);
  e.actor->act.clear();
  if (actor != nullptr) {
    e.actor->act.push_back(actor->subject);
    e.actor->act.insert(e.actor->act.end(), earlier.begin(), earlier.end());
  }
  e.action = "issue";
  e.details = {{"jti", token.jti},
               {"aud", token.audience},
               {"exp", token.expires_at},
               {"token_type", token.shape == TokenShape::kIdToken ? "id_token" : "access_token"},
               {"kid", token.kid},
               {"how", how}};
  if (token.scope) e.details["scope"] = token.scope->to_string();
  return e;
}

audit::AuditEvent refused_event(const policy::Principal& subject, const Error& why) {
  audit::AuditEvent e;
  e.type = "token.refused";
  e.actor = audit_actor(subject);
  e.action = "issue";
  e.reason = std::string(code_name(why.code));
  e.details = {{"message", audit::clean_text(why.message, 512)}};
  return e;
}

audit::AuditEvent revoked_event(std::string_view jti, std::int64_t expires_at,
                                const policy::Principal& by, std::string_view how) {
  audit::AuditEvent e;
  e.type = std::string(audit::event_type::kTokenRevoked);
  e.actor = audit_actor(by);
  e.action = "revoke";
  e.details = {{"jti", jti}, {"exp", expires_at}, {"how", how}};
  return e;
}

}  // namespace sg::tokens
