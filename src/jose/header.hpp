// JoseHeader is the protected header of a compact JWS after the checks of jose-rules.md step 3.
//
// parse_header accepts a strict-JSON object (no duplicate names, bounded depth) whose `alg` is a
// string naming a supported algorithm — `none` and unregistered names are refused — and refuses the
// members stackgate does not implement or will not trust: `crit`, `b64`, `zip`, `enc`, `cty: JWT`
// (nested tokens), and any key or key URL carried by the token (`jwk`, `jku`, `x5u`, `x5c`). The
// issuer's allow-list and `typ` are checked by the verifier, which knows the issuer. The header is
// read in one strict scan without building a JSON tree; jose/inspect.hpp gives every member for
// display. Plain value type; not synchronised.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "jose/algorithm.hpp"

namespace sg::jose {

struct JoseHeader {
  Algorithm alg = Algorithm::kES256;
  std::optional<std::string> kid;
  std::optional<std::string> typ;
};

// Applies the header rules to decoded header JSON. Errors: kMalformedToken (not strict JSON, a
// refused member, a member of the wrong type), kDisallowedAlgorithm (`alg` none or unsupported).
Result<JoseHeader> parse_header(std::string_view header_json);

// Media type comparison form for `typ`/`cty` (RFC 7515 §4.1.9): ASCII lower-case, and a value
// without '/' means "application/<value>". "JWT" and "application/jwt" both give
// "application/jwt".
std::string normalize_media_type(std::string_view value);

// Whether normalize_media_type(a) == normalize_media_type(b), without building either string.
bool same_media_type(std::string_view a, std::string_view b);

}  // namespace sg::jose
