// canonical_json writes the one canonical form of a JSON value that the audit hash chain hashes:
// the JSON Canonicalization Scheme (RFC 8785) restricted to the values audit events hold.
//
// Object members are sorted by their names compared as UTF-16 code units (RFC 8785 §3.2.3; for
// ASCII names this is byte order, but U+E000..U+FFFF sort after every character beyond U+FFFF);
// there is no whitespace; strings are written as RFC 8785 §3.2.2.2 says: \" \\ \b \f \n \r \t,
// the other characters below U+0020 as \u00xx in lower-case hex, everything else (U+007F
// included) as its UTF-8 bytes. Numbers must be integers within ±(2^53 − 1), where RFC 8785's
// ECMAScript form is the plain decimal form; doubles are refused rather than formatted (audit
// events never hold them), as are strings and names that are not valid UTF-8 and nesting deeper
// than kMaxCanonicalDepth. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.hpp"

namespace sg::audit {

inline constexpr std::int64_t kMaxSafeInteger = 9'007'199'254'740'991;  // 2^53 - 1
inline constexpr std::size_t kMaxCanonicalDepth = 32;

// Appends the canonical form of `value` to `out`. On error `out` holds a partial value.
// Errors: kInvalidArgument naming what is not canonicalisable.
Status append_canonical_json(std::string& out, const boost::json::value& value);

// Appends `text` as a canonical JSON string (quoted, escaped as above). Errors: kInvalidArgument
// (not valid UTF-8).
Status append_canonical_string(std::string& out, std::string_view text);

// The canonical form of `value`. Errors: as append_canonical_json.
Result<std::string> canonical_json(const boost::json::value& value);
Result<std::string> canonical_json(const boost::json::object& object);

// The canonical form of `object` without its top-level member `omit` (a non-empty name; nothing
// is left out when it is absent), without copying the object. Errors: as append_canonical_json.
Result<std::string> canonical_json_without(const boost::json::object& object,
                                           std::string_view omit);

// Whether `a` sorts before `b` in RFC 8785 order. Both must be valid UTF-8.
bool canonical_name_less(std::string_view a, std::string_view b);

}  // namespace sg::audit
