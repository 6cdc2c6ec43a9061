#include "jose/claims.hpp"

#include <array>
#include <cmath>
#include <cstddef>

#include "jose/json_reader.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;

constexpr double kMaxNumericDate = 253402300799.0;  // 9999-12-31T23:59:59Z

Error malformed(std::string what) {
  return make_error(Errc::kMalformedToken, std::move(what));
}

// The registered claims the rules read, found in a single pass over the claims set.
class Registered {
 public:
  explicit Registered(const bj::object& claims) {
    for (const bj::key_value_pair& m : claims) {
      const std::string_view name = m.key();
      for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (name == kNames[i]) {
          values_[i] = &m.value();
          break;
        }
      }
    }
  }

  // The value of `name`, one of kNames; null when absent.
  const bj::value* find(std::string_view name) const {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
      if (kNames[i] == name) return values_[i];
    }
    return nullptr;
  }

 private:
  static constexpr std::array<std::string_view, 7> kNames = {"iss", "sub", "jti", "aud",
                                                             "exp", "nbf", "iat"};
  std::array<const bj::value*, kNames.size()> values_{};
};

Status optional_string(const Registered& claims, std::string_view name,
                       std::optional<std::string>& out) {
  const bj::value* v = claims.find(name);
  if (v == nullptr) return {};
  if (!v->is_string()) return malformed("claim " + std::string(name) + " is not a string");
  out = std::string(v->get_string());
  return {};
}

Status audience(const Registered& claims, std::vector<std::string>& out) {
  const bj::value* v = claims.find("aud");
  if (v == nullptr) return {};
  if (v->is_string()) {
    out.emplace_back(v->get_string());
    return {};
  }
  if (!v->is_array()) return malformed("claim aud is neither a string nor an array of strings");
  const bj::array& list = v->get_array();
  out.reserve(list.size());
  for (const bj::value& e : list) {
    if (!e.is_string()) return malformed("claim aud contains a non-string element");
    out.emplace_back(e.get_string());
  }
  return {};
}

// A NumericDate claim as seconds; nullopt when absent.
Status numeric_date(const Registered& claims, std::string_view name, std::optional<double>& out) {
  const bj::value* v = claims.find(name);
  if (v == nullptr) return {};
  double d = 0;
  if (v->is_int64()) {
    d = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->get_uint64());
  } else if (v->is_double()) {
    d = v->get_double();
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
  const Registered registered(claims);
  // Type checks first, in this order, so the first failure is the one reported.
  if (auto s = optional_string(registered, "iss", c.iss_); !s.ok()) return s.error();
  if (auto s = optional_string(registered, "sub", c.sub_); !s.ok()) return s.error();
  if (auto s = optional_string(registered, "jti", c.jti_); !s.ok()) return s.error();
  if (auto s = audience(registered, c.aud_); !s.ok()) return s.error();
  if (auto s = numeric_date(registered, "exp", exp); !s.ok()) return s.error();
  if (auto s = numeric_date(registered, "nbf", nbf); !s.ok()) return s.error();
  if (auto s = numeric_date(registered, "iat", iat); !s.ok()) return s.error();
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
