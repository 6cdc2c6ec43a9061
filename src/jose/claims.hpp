// Claims is a JWT claims set that passed every check of jose-rules.md step 7. It exists only as the
// result of validate_claims (or verify_jws), so holding one means the checks were made.
//
// Rules: a strict-JSON object; `iss`, `sub`, `jti` strings when present; `aud` a string or an array
// of strings (normalised to a list, any other element refused); `exp`, `nbf`, `iat` finite numbers
// in [0, 253402300799] (year 9999) when present, `exp` required unless the options say otherwise;
// `iss` equal to the configured issuer byte for byte; `aud` containing a configured audience
// exactly; now < exp + leeway, nbf − leeway <= now, iat − leeway <= now. Type errors are
// kMalformedToken and are found before any value check.
//
// The checks read the claims in one strict scan of the JSON text without building a JSON tree
// (json_reader.hpp); a Claims keeps the text and builds the tree only when json() is asked for.
// Immutable value; thread-safe for concurrent const use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "jose/verify_options.hpp"

namespace sg::jose {

class Claims {
 public:
  // The claims set's JSON text, as sent (it passed the strict JSON rules).
  const std::string& text() const { return text_; }
  // Every claim, as sent: parsed from text() on each call, so callers keep the result.
  boost::json::object json() const;

  const std::optional<std::string>& iss() const { return iss_; }
  const std::optional<std::string>& sub() const { return sub_; }
  const std::optional<std::string>& jti() const { return jti_; }
  // `aud` normalised to a list; empty when absent.
  const std::vector<std::string>& aud() const { return aud_; }
  // NumericDates in whole seconds since the epoch, rounded down.
  std::optional<std::int64_t> exp() const { return exp_; }
  std::optional<std::int64_t> nbf() const { return nbf_; }
  std::optional<std::int64_t> iat() const { return iat_; }

 private:
  friend Result<Claims> validate_claims_json(std::string_view payload, const VerifyOptions& opts,
                                             Time now);
  Claims() = default;

  std::string text_;
  std::optional<std::string> iss_, sub_, jti_;
  std::vector<std::string> aud_;
  std::optional<std::int64_t> exp_, nbf_, iat_;
};

// Checks `payload` as strict JSON (no duplicate names at any depth, at most 16 KiB, 32 levels),
// then the rules above. Errors: kMalformedToken (not strict JSON, wrong types, missing exp,
// out-of-range dates), kWrongIssuer, kWrongAudience, kExpired, kNotYetValid, kInvalidArgument
// (bad options).
Result<Claims> validate_claims_json(std::string_view payload, const VerifyOptions& opts, Time now);

}  // namespace sg::jose
