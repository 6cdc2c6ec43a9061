#include "jose/jwk.hpp"

#include <array>
#include <set>

#include "jose/base64url.hpp"
#include "jose/key_import.hpp"
#include "jose/secret_bytes.hpp"
#include "jose/verify_templates.hpp"

namespace sg::jose {

namespace {

namespace bj = boost::json;

constexpr std::array<std::string_view, 8> kPrivateMembers = {"d",  "p",  "q",   "dp",
                                                             "dq", "qi", "oth", "k"};

Error invalid(std::string what) {
  return make_error(Errc::kInvalidArgument, std::move(what));
}

// A string member, or nullopt when absent. Errors when present but not a string.
Result<std::optional<std::string>> optional_string(const bj::object& o, std::string_view name) {
  const bj::value* v = o.if_contains(name);
  if (v == nullptr) return std::optional<std::string>{};
  if (!v->is_string()) return invalid("JWK member " + std::string(name) + " is not a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

// A required base64url member, decoded.
Result<Bytes> required_bytes(const bj::object& o, std::string_view name) {
  auto s = optional_string(o, name);
  if (!s.ok()) return s.error();
  if (!s->has_value()) return invalid("JWK member " + std::string(name) + " is missing");
  auto b = base64url_decode(**s);
  if (!b.ok()) return invalid("JWK member " + std::string(name) + ": " + b.error().message);
  return std::move(b).value();
}

// The members every JWK shares: kid, use, key_ops and alg. Fills `kid` and `alg`.
Status check_common(const bj::object& o, std::optional<std::string>& kid,
                    std::optional<Algorithm>& alg) {
  auto k = optional_string(o, "kid");
  if (!k.ok()) return k.error();
  if (k->has_value() && (*k)->empty()) return invalid("JWK kid is empty");
  kid = std::move(k).value();

  auto use = optional_string(o, "use");
  if (!use.ok()) return use.error();
  if (use->has_value() && **use != "sig") return invalid("JWK use is not \"sig\"");

  if (const bj::value* ops = o.if_contains("key_ops")) {
    if (!ops->is_array()) return invalid("JWK key_ops is not an array");
    std::set<std::string, std::less<>> seen;
    for (const bj::value& op : ops->as_array()) {
      if (!op.is_string()) return invalid("JWK key_ops has a non-string element");
      if (!seen.insert(std::string(op.as_string())).second) {
        return invalid("JWK key_ops repeats a value");
      }
    }
    if (seen.count("verify") == 0) return invalid("JWK key_ops does not contain \"verify\"");
  }

  auto a = optional_string(o, "alg");
  if (!a.ok()) return a.error();
  if (a->has_value()) {
    alg = algorithm_from_name(**a);
    if (!alg) return invalid("JWK alg is not a supported JWS algorithm");
  }
  return {};
}

Result<std::string> kty_of(const bj::object& o) {
  auto kty = optional_string(o, "kty");
  if (!kty.ok()) return kty.error();
  if (!kty->has_value()) return invalid("JWK kty is missing");
  return std::move(**kty);
}

}  // namespace

Result<Jwk> Jwk::parse_public(const bj::object& o) {
  for (const std::string_view m : kPrivateMembers) {
    if (o.contains(m)) return invalid("JWK has private member " + std::string(m));
  }
  auto kty = kty_of(o);
  if (!kty.ok()) return kty.error();
  Jwk key;
  if (auto s = check_common(o, key.kid_, key.alg_); !s.ok()) return s.error();

  Result<detail::ImportedKey> imported = invalid("JWK kty is not supported");
  if (*kty == "RSA") {
    key.family_ = KeyFamily::kRsa;
    auto n = required_bytes(o, "n");
    if (!n.ok()) return n.error();
    auto e = required_bytes(o, "e");
    if (!e.ok()) return e.error();
    imported = detail::import_rsa_public(*n, *e);
  } else if (*kty == "EC" || *kty == "OKP") {
    key.family_ = *kty == "EC" ? KeyFamily::kEc : KeyFamily::kOkp;
    auto crv = optional_string(o, "crv");
    if (!crv.ok()) return crv.error();
    const std::optional<Curve> curve = crv->has_value() ? curve_from_name(**crv) : std::nullopt;
    const bool okp_curve = curve == Curve::kEd25519;
    if (!curve || okp_curve != (key.family_ == KeyFamily::kOkp)) {
      return invalid("JWK crv is missing or not supported for kty " + *kty);
    }
    key.curve_ = *curve;
    auto x = required_bytes(o, "x");
    if (!x.ok()) return x.error();
    if (okp_curve) {
      if (o.contains("y")) return invalid("OKP JWK has a y member");
      imported = detail::import_ed25519_public(*x);
    } else {
      auto y = required_bytes(o, "y");
      if (!y.ok()) return y.error();
      imported = detail::import_ec_public(*curve, *x, *y);
    }
  } else if (*kty == "oct") {
    return invalid("JWK of kty oct is a shared secret, not a public key");
  }
  if (!imported.ok()) return imported.error();
  key.bits_ = imported->bits;
  key.pkey_ = ossl::share(std::move(imported->pkey));
  key.templates_ = std::make_shared<detail::VerifyTemplates>();

  if (key.alg_) {
    if (key_family(*key.alg_) != key.family_ ||
        (required_curve(*key.alg_) != Curve::kNone && required_curve(*key.alg_) != key.curve_)) {
      return invalid("JWK alg " + std::string(algorithm_name(*key.alg_)) +
                     " does not match its kty/crv");
    }
  }
  return key;
}

Result<Jwk> Jwk::parse_shared_secret(const bj::object& o) {
  auto kty = kty_of(o);
  if (!kty.ok()) return kty.error();
  if (*kty != "oct") return invalid("shared-secret JWK must have kty oct");
  std::optional<std::string> kid;
  std::optional<Algorithm> alg;
  if (auto s = check_common(o, kid, alg); !s.ok()) return s.error();
  auto k = required_bytes(o, "k");
  if (!k.ok()) return k.error();
  return shared_secret(std::move(k).value(), alg, std::move(kid));
}

Result<Jwk> Jwk::shared_secret(Bytes secret, std::optional<Algorithm> alg,
                               std::optional<std::string> kid) {
  auto holder = std::make_shared<const detail::SecretBytes>(std::move(secret));
  if (alg && key_family(*alg) != KeyFamily::kOct) {
    return invalid("shared secret bound to non-HMAC alg " + std::string(algorithm_name(*alg)));
  }
  const std::size_t min = alg ? digest_size(*alg) : 32;
  if (holder->bytes().size() < min) {
    return invalid("shared secret is shorter than " + std::to_string(min) + " bytes");
  }
  if (kid && kid->empty()) return invalid("JWK kid is empty");
  Jwk key;
  key.kid_ = std::move(kid);
  key.family_ = KeyFamily::kOct;
  key.alg_ = alg;
  key.bits_ = holder->bytes().size() * 8;
  key.secret_ = std::move(holder);
  return key;
}

Status Jwk::check_usable_for(Algorithm alg) const {
  const std::string name(algorithm_name(alg));
  if (key_family(alg) != family_) {
    return make_error(
        Errc::kDisallowedAlgorithm,
        "key is of kty " + std::string(key_family_name(family_)) + " and cannot verify " + name);
  }
  if (required_curve(alg) != Curve::kNone && required_curve(alg) != curve_) {
    return make_error(Errc::kDisallowedAlgorithm,
                      "key curve " + std::string(curve_name(curve_)) + " cannot verify " + name);
  }
  if (alg_ && *alg_ != alg) {
    return make_error(
        Errc::kDisallowedAlgorithm,
        "key is bound to alg " + std::string(algorithm_name(*alg_)) + ", token uses " + name);
  }
  if (family_ == KeyFamily::kOct && secret().size() < digest_size(alg)) {
    return make_error(Errc::kDisallowedAlgorithm, "shared secret is too short for " + name);
  }
  return {};
}

const Bytes& Jwk::secret() const {
  static const Bytes kEmpty;
  return secret_ ? secret_->bytes() : kEmpty;
}

}  // namespace sg::jose
