#include "identity/trusted_issuer.hpp"

#include "jose/header.hpp"

namespace sg::identity {

Result<policy::Principal> TrustedIssuer::verify(std::string_view token, Time now) {
  auto unverified = jose::decode_unverified(token);
  if (!unverified.ok()) return unverified.error();
  return verify(token, *unverified, now);
}

std::optional<std::string_view> unverified_iss(const jose::UnverifiedToken& token) {
  if (!token.unverified_claims) return std::nullopt;
  const auto* iss = token.unverified_claims->if_contains("iss");
  if (iss == nullptr || !iss->is_string()) return std::nullopt;
  return std::string_view(iss->get_string());
}

std::string unverified_typ(const jose::UnverifiedToken& token) {
  const auto* typ = token.unverified_header.if_contains("typ");
  if (typ == nullptr || !typ->is_string()) return {};
  return jose::normalize_media_type(typ->get_string());
}

Error plain_error(const Error& e) {
  switch (e.code) {
    case Errc::kExpired:
      return make_error(e.code, "token expired");
    case Errc::kWrongAudience:
      return make_error(e.code, "token audience is not accepted");
    case Errc::kWrongIssuer:
      return make_error(e.code, "token issuer does not match");
    case Errc::kUnknownKey:
      return make_error(e.code, e.message.starts_with("no key with kid")
                                    ? "no key with this token's kid"
                                    : e.message);
    default:
      return e;
  }
}

}  // namespace sg::identity
