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

// The registered claims the rules read, recorded during the strict scan of the claims set; the
// rules are applied once the scan has succeeded. Values are kept only as far as the rules need:
// strings (iss, sub, jti, aud and aud's elements) and numbers.
class Registered final : public JsonVisitor {
 public:
  struct Seen {
    bool present = false;
    JsonValue::Kind kind = JsonValue::Kind::kNull;
    std::string string;  // kString
    double number = 0;   // kInt64, kUint64, kDouble as a double
  };

  const Seen& get(std::string_view name) const { return seen_[index_of(name)]; }
  Seen& get(std::string_view name) { return seen_[index_of(name)]; }
  // The strings of `aud`, moved out (once the checks have read them).
  std::vector<std::string> take_aud() { return std::move(aud_); }
  bool aud_has_non_string() const { return aud_non_string_; }

  void member(std::string_view name, const JsonValue& value) override {
    const std::size_t i = index_of(name);
    if (i == kNames.size()) return;
    Seen& seen = seen_[i];
    seen.present = true;
    seen.kind = value.kind;
    switch (value.kind) {
      case JsonValue::Kind::kString:
        if (kNames[i] == "aud") {
          aud_.emplace_back(value.string);
        } else {
          seen.string.assign(value.string);
        }
        break;
      case JsonValue::Kind::kInt64:
        seen.number = static_cast<double>(value.int64);
        break;
      case JsonValue::Kind::kUint64:
        seen.number = static_cast<double>(value.uint64);
        break;
      case JsonValue::Kind::kDouble:
        seen.number = value.number;
        break;
      default:
        break;
    }
  }

  void element(std::string_view name, const JsonValue& value) override {
    if (name != "aud") return;
    if (value.kind == JsonValue::Kind::kString) {
      aud_.emplace_back(value.string);
    } else {
      aud_non_string_ = true;
    }
  }

 private:
  static constexpr std::array<std::string_view, 7> kNames = {"iss", "sub", "jti", "aud",
                                                             "exp", "nbf", "iat"};

  // The position of `name` in kNames, or kNames.size().
  static std::size_t index_of(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
      if (kNames[i] == name) return i;
    }
    return kNames.size();
  }

  std::array<Seen, kNames.size()> seen_{};
  std::vector<std::string> aud_;
  bool aud_non_string_ = false;
};

// Moves the value of `name` into `out` when it is a string.
Status optional_string(Registered& claims, std::string_view name, std::optional<std::string>& out) {
  Registered::Seen& v = claims.get(name);
  if (!v.present) return {};
  if (v.kind != JsonValue::Kind::kString) {
    return malformed("claim " + std::string(name) + " is not a string");
  }
  out = std::move(v.string);
  return {};
}

Status audience(Registered& claims, std::vector<std::string>& out) {
  const Registered::Seen& v = claims.get("aud");
  if (!v.present) return {};
  if (v.kind != JsonValue::Kind::kString && v.kind != JsonValue::Kind::kArray) {
    return malformed("claim aud is neither a string nor an array of strings");
  }
  if (claims.aud_has_non_string()) return malformed("claim aud contains a non-string element");
  out = claims.take_aud();
  return {};
}

// A NumericDate claim as seconds; nullopt when absent.
Status numeric_date(const Registered& claims, std::string_view name, std::optional<double>& out) {
  const Registered::Seen& v = claims.get(name);
  if (!v.present) return {};
  if (v.kind != JsonValue::Kind::kInt64 && v.kind != JsonValue::Kind::kUint64 &&
      v.kind != JsonValue::Kind::kDouble) {
    return malformed("claim " + std::string(name) + " is not a number");
  }
  const double d = v.number;
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

bj::object Claims::json() const {
  // text_ passed these very rules when the Claims was made, so parsing it again cannot fail.
  auto parsed = parse_strict_object(text_, JsonLimits{}, "claims");
  return parsed.ok() ? std::move(parsed).value() : bj::object{};
}

Result<Claims> validate_claims_json(std::string_view payload, const VerifyOptions& opts, Time now) {
  Registered registered;
  if (auto s = scan_strict_object(payload, JsonLimits{}, "claims", registered); !s.ok()) {
    return s.error();
  }
  if (auto s = check_options(opts); !s.ok()) return s.error();
  Claims c;
  std::optional<double> exp, nbf, iat;
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
  c.text_.assign(payload);
  return c;
}

}  // namespace sg::jose
