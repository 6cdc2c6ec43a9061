// Strict JSON reading for untrusted JOSE input (token headers, claims, JWK sets).
//
// Boost.JSON alone keeps the last of duplicate member names and turns 1e400 into infinity; both
// have been used to smuggle values past verifiers. parse_strict_object therefore reads the text in
// one pass that builds the value while refusing, at any depth: duplicate member names (checked
// before the member is stored), non-finite numbers, invalid UTF-8, nesting deeper than
// `max_depth`, and input longer than `max_bytes`; a boost::json::object is returned only when the
// whole text passed. Comments and trailing commas are refused as
// in standard JSON. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/result.hpp"

namespace sg::jose {

struct JsonLimits {
  std::size_t max_bytes = 16 * 1024;
  std::size_t max_depth = 32;
};

// Parses `text` as a JSON object under the rules above. `what` names the document in errors (e.g.
// "header", "claims"). Errors: `code` (kMalformedToken for tokens, kInvalidArgument for keys), with
// a message naming the failed rule and, for duplicates, the member name.
Result<boost::json::object> parse_strict_object(std::string_view text, const JsonLimits& limits,
                                                std::string_view what,
                                                Errc code = Errc::kMalformedToken);

}  // namespace sg::jose
