#include "policy/attribute.hpp"

#include <array>
#include <utility>

namespace sg::policy {
namespace {

constexpr std::string_view kClaimPrefix = "claim.";

constexpr std::array<std::pair<std::string_view, PrincipalAttribute::Kind>, 8> kNames = {{
    {"subject", PrincipalAttribute::Kind::kSubject},
    {"issuer", PrincipalAttribute::Kind::kIssuer},
    {"kind", PrincipalAttribute::Kind::kKind},
    {"email", PrincipalAttribute::Kind::kEmail},
    {"name", PrincipalAttribute::Kind::kName},
    {"team", PrincipalAttribute::Kind::kTeam},
    {"groups", PrincipalAttribute::Kind::kGroups},
    {"ownership", PrincipalAttribute::Kind::kOwnership},
}};

}  // namespace

Result<PrincipalAttribute> PrincipalAttribute::parse(std::string_view name) {
  for (const auto& [n, kind] : kNames) {
    if (n == name) return PrincipalAttribute(kind, std::string(name));
  }
  if (name.starts_with(kClaimPrefix)) {
    std::string_view path = name.substr(kClaimPrefix.size());
    if (path.empty()) return make_error(Errc::kInvalidArgument, "the claim path is empty");
    if (path.size() > kMaxClaimPathBytes) {
      return make_error(Errc::kInvalidArgument,
                        "a claim path is at most " + std::to_string(kMaxClaimPathBytes) + " bytes");
    }
    return PrincipalAttribute(Kind::kClaim, std::string(name));
  }
  return make_error(Errc::kInvalidArgument,
                    "unknown principal attribute; expected subject, issuer, kind, email, name, "
                    "team, groups, ownership or claim.<path>");
}

std::string_view PrincipalAttribute::claim_path() const {
  if (kind_ != Kind::kClaim) return {};
  return std::string_view(name_).substr(kClaimPrefix.size());
}

}  // namespace sg::policy
