// decode_unverified shows what a token claims without checking any of it, for
// `stackgate token inspect`. Nothing it returns may be used for a security decision.
//
// It applies only the shape rules (length, alphabet, three segments, strict base64url) and parses
// the header and, when it is one, the payload as strict JSON. It does not apply the header rules,
// so `alg: none` or `jwk` tokens can be inspected. Pure function; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "jose/bytes.hpp"

namespace sg::jose {

struct UnverifiedToken {
  boost::json::object unverified_header;
  // The payload as a JSON object, when it is one.
  std::optional<boost::json::object> unverified_claims;
  Bytes unverified_payload;
  std::size_t signature_bytes = 0;
};

// Errors: kMalformedToken.
Result<UnverifiedToken> decode_unverified(std::string_view token);

}  // namespace sg::jose
