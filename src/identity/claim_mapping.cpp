#include "identity/claim_mapping.hpp"

#include <array>

namespace sg::identity {
namespace {

constexpr std::array<std::string_view, 6> kAttributes = {"subject", "email",  "name",
                                                         "team",    "groups", "ownership"};

std::string_view path_of(const std::map<std::string, std::string>& mapping,
                         std::string_view attribute, std::string_view fallback) {
  auto it = mapping.find(std::string(attribute));
  return it == mapping.end() ? fallback : std::string_view(it->second);
}

const boost::json::string* bounded_string(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return nullptr;
  const auto& s = v->get_string();
  return s.size() <= kMaxClaimValueBytes ? &s : nullptr;
}

std::string string_attribute(const boost::json::object& claims, std::string_view path) {
  const auto* s = bounded_string(find_claim(claims, path));
  return s == nullptr ? std::string() : std::string(s->data(), s->size());
}

}  // namespace

bool is_mappable_attribute(std::string_view attribute) {
  for (std::string_view a : kAttributes) {
    if (a == attribute) return true;
  }
  return false;
}

std::vector<std::string> string_list(const boost::json::value* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (const auto* s = bounded_string(v)) {
    out.emplace_back(s->data(), s->size());
    return out;
  }
  if (!v->is_array()) return out;
  for (const auto& item : v->get_array()) {
    if (out.size() == kMaxClaimListItems) break;
    if (const auto* s = bounded_string(&item)) out.emplace_back(s->data(), s->size());
  }
  return out;
}

Status map_claims(const boost::json::object& claims,
                  const std::map<std::string, std::string>& mapping, policy::Principal& out) {
  const auto* sub = find_claim(claims, path_of(mapping, "subject", "sub"));
  if (sub == nullptr || !sub->is_string() || sub->get_string().empty()) {
    return make_error(Errc::kMalformedToken, "token has no subject");
  }
  if (sub->get_string().size() > kMaxClaimValueBytes) {
    return make_error(Errc::kMalformedToken, "token subject is too long");
  }
  out.subject = std::string(sub->get_string());
  out.email = string_attribute(claims, path_of(mapping, "email", "email"));
  out.name = string_attribute(claims, path_of(mapping, "name", "name"));
  out.team = string_attribute(claims, path_of(mapping, "team", "team"));
  out.groups = string_list(find_claim(claims, path_of(mapping, "groups", "groups")));
  if (auto it = mapping.find("ownership"); it != mapping.end()) {
    out.ownership = string_list(find_claim(claims, it->second));
  }
  return {};
}

Result<policy::Principal> make_principal(const jose::Claims& claims,
                                         const std::map<std::string, std::string>& mapping,
                                         const std::string& issuer_name,
                                         policy::PrincipalKind kind) {
  policy::Principal p;
  p.claims = claims.json();  // parsed once here; the mapping reads the principal's copy
  if (auto s = map_claims(p.claims, mapping, p); !s.ok()) return s.error();
  p.issuer = issuer_name;
  p.kind = kind;
  p.token_id = claims.jti().value_or("");
  p.expires_at = claims.exp().value_or(0);
  return p;
}

}  // namespace sg::identity
