#include "jose/claims.hpp"

#include <cmath>

#include "jose/json_reader.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;

constexpr double kMaxNumericDate = 253402300799.0;  // 9999-12-31T23:59:59Z

Error malformed(std::string what) {
  return make_error(Errc::kMalformedToken, std::move(what));
}

Status optional_string(const bj::object& o, std::string_view name,
                       std::optional<std::string>& out) {
  const bj::value* v = o.if_contains(name);
  if (v == nullptr) return {};
  if (!v->is_string()) return malformed("claim " + std::string(name) + " is not a string");
  out = std::string(v->as_string());
  return {};
}

Status audience(const bj::object& o, std::vector<std::string>& out) {
  const bj::value* v = o.if_contains("aud");
  if (v == nullptr) return {};
  if (v->is_string()) {
    out.emplace_back(v->as_string());
    return {};
  }
  if (!v->is_array()) return malformed("claim aud is neither a string nor an array of strings");
  for (const bj::value& e : v->as_array()) {
    if (!e.is_string()) return malformed("claim aud contains a non-string element");
    out.emplace_back(e.as_string());
  }
  return {};
}

// A NumericDate claim as seconds; nullopt when absent.
Status numeric_date(const bj::object& o, std::string_view name, std::optional<double>& out) {
  const bj::value* v = o.if_contains(name);
  if (v == nullptr) return {};
  double d = 0;
  if (v->is_int64()) {
    d = static_cast<double>(v->as_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->as_uint64());
  } else if (v->is_double()) {
    d = v->as_double();
  } else {
    return malformed("claim " + std::string(name) + " is not a number");
  }
  if (!std::isfinite(d) || d < 0 || d > kMaxNumericDate) {
    return malformed("claim " + std::string(name) + " is out of range");
  }
  out = d;
  return {};
}

Status check_options(const VerifyOptions& opts) {
  if (opts.leeway < std::chrono::seconds{0} || opts.leeway > kMaxLeeway) {
    return make_error(Errc::kInvalidArgument, "leeway must be between 0 and " +
                                                  std::to_string(kMaxLeeway.count()) + " seconds");
  }
  if (opts.audiences && opts.audiences->empty()) {
    return make_error(Errc::kInvalidArgument, "audience check enabled with no audiences");
  }
  return {};
}

std::optional<std::int64_t> whole_seconds(const std::optional<double>& d) {
  if (!d) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(*d));
}

}  // namespace

Result<Claims> validate_claims(bj::object claims, const VerifyOptions& opts, Time now) {
  if (auto s = check_options(opts); !s.ok()) return s.error();
  Claims c;
  std::optional<double> exp, nbf, iat;
  for (const Status& s :
       {optional_string(claims, "iss", c.iss_), optional_string(claims, "sub", c.sub_),
        optional_string(claims, "jti", c.jti_), audience(claims, c.aud_),
        numeric_date(claims, "exp", exp), numeric_date(claims, "nbf", nbf),
        numeric_date(claims, "iat", iat)}) {
    if (!s.ok()) return s.error();
  }
  if (opts.require_exp && !exp) return malformed("claim exp is missing");

  if (opts.issuer && (!c.iss_ || *c.iss_ != *opts.issuer)) {
    return make_error(Errc::kWrongIssuer, c.iss_ ? "issuer mismatch" : "claim iss is missing");
  }
  if (opts.audiences) {
    bool match = false;
    for (const std::string& a : c.aud_) {
      for (const std::string& want : *opts.audiences)
        match = match || a == want;
    }
    if (!match) {
      return make_error(Errc::kWrongAudience,
                        c.aud_.empty() ? "claim aud is missing" : "audience mismatch");
    }
  }

  const double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
  const auto leeway = static_cast<double>(opts.leeway.count());
  if (exp && !(now_s < *exp + leeway)) return make_error(Errc::kExpired, "token expired");
  if (nbf && now_s < *nbf - leeway) {
    return make_error(Errc::kNotYetValid, "token not valid yet (nbf is in the future)");
  }
  if (iat && now_s < *iat - leeway) {
    return make_error(Errc::kNotYetValid, "token issued in the future (iat)");
  }
  c.exp_ = whole_seconds(exp);
  c.nbf_ = whole_seconds(nbf);
  c.iat_ = whole_seconds(iat);
  c.json_ = std::move(claims);
  return c;
}

Result<Claims> validate_claims_json(std::string_view payload, const VerifyOptions& opts, Time now) {
  auto obj = parse_strict_object(payload, JsonLimits{}, "claims");
  if (!obj.ok()) return obj.error();
  return validate_claims(std::move(obj).value(), opts, now);
}

}  // namespace sg::jose
