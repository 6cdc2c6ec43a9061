#include "jose/header.hpp"

#include <array>

#include "jose/json_reader.hpp"
#include "jose/printable.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;

Error malformed(std::string what) {
  return make_error(Errc::kMalformedToken, std::move(what));
}

// Extensions stackgate does not implement; RFC 7515 requires refusing an unknown `crit`, and RFC
// 7797 forbids `b64` in JWTs. `zip` and `enc` belong to JWE.
constexpr std::array<std::string_view, 4> kUnsupported = {"crit", "b64", "zip", "enc"};
// Keys or key locations chosen by whoever made the token.
constexpr std::array<std::string_view, 4> kEmbeddedKeys = {"jwk", "jku", "x5u", "x5c"};

Result<std::optional<std::string>> optional_string(const bj::object& o, std::string_view name) {
  const bj::value* v = o.if_contains(name);
  if (v == nullptr) return std::optional<std::string>{};
  if (!v->is_string()) return malformed("header member " + std::string(name) + " is not a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

}  // namespace

std::string normalize_media_type(std::string_view value) {
  std::string out;
  if (value.find('/') == std::string_view::npos) out = "application/";
  for (const char c : value)
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  return out;
}

Result<JoseHeader> parse_header(std::string_view header_json) {
  auto obj = parse_strict_object(header_json, JsonLimits{}, "header");
  if (!obj.ok()) return obj.error();
  JoseHeader h;

  auto alg = optional_string(*obj, "alg");
  if (!alg.ok()) return alg.error();
  if (!alg->has_value()) return malformed("header has no alg");
  if (**alg == "none") {
    return make_error(Errc::kDisallowedAlgorithm, "alg none (unsecured JWS) is never accepted");
  }
  const std::optional<Algorithm> parsed = algorithm_from_name(**alg);
  if (!parsed) {
    return make_error(Errc::kDisallowedAlgorithm,
                      "alg \"" + detail::printable(**alg) + "\" is not supported");
  }
  h.alg = *parsed;

  for (const std::string_view m : kUnsupported) {
    if (obj->contains(m)) return malformed("header member " + std::string(m) + " is not supported");
  }
  for (const std::string_view m : kEmbeddedKeys) {
    if (obj->contains(m)) {
      return malformed("header member " + std::string(m) +
                       " is refused: keys come only from the issuer's trusted key set");
    }
  }

  auto cty = optional_string(*obj, "cty");
  if (!cty.ok()) return cty.error();
  if (cty->has_value() && normalize_media_type(**cty) == "application/jwt") {
    return malformed("header cty JWT (nested token) is not accepted");
  }

  auto kid = optional_string(*obj, "kid");
  if (!kid.ok()) return kid.error();
  if (kid->has_value() && (*kid)->empty()) return malformed("header kid is empty");
  h.kid = std::move(kid).value();

  auto typ = optional_string(*obj, "typ");
  if (!typ.ok()) return typ.error();
  h.typ = std::move(typ).value();

  h.json = std::move(obj).value();
  return h;
}

}  // namespace sg::jose
