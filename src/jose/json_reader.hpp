// Strict JSON reading for untrusted JOSE input (token headers, claims, JWK sets).
//
// Boost.JSON alone keeps the last of duplicate member names and turns 1e400 into infinity; both
// have been used to smuggle values past verifiers. parse_strict_object therefore reads the text in
// one pass that builds the value while refusing, at any depth: duplicate member names (checked
// before the member is stored), non-finite numbers, invalid UTF-8, nesting deeper than
// `max_depth`, and input longer than `max_bytes`; a boost::json::object is returned only when the
// whole text passed. Comments and trailing commas are refused as
// in standard JSON.
//
// scan_strict_object applies exactly the same rules, with the same errors, without building a
// value: it tells a JsonVisitor about each member of the top-level object and each element of an
// array that is a top-level member's value. The JOSE header and claims rules read only those, so
// verifying a token allocates no JSON tree. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/result.hpp"

namespace sg::jose {

struct JsonLimits {
  std::size_t max_bytes = 16 * 1024;
  std::size_t max_depth = 32;
};

// One value as scan_strict_object reports it. For kObject and kArray only the kind is given (the
// value's contents follow as further events, or not at all below the levels reported).
struct JsonValue {
  enum class Kind { kString, kInt64, kUint64, kDouble, kBool, kNull, kObject, kArray };
  Kind kind = Kind::kNull;
  std::string_view string;  // kString: the unescaped text; valid only during the call
  std::int64_t int64 = 0;
  std::uint64_t uint64 = 0;
  double number = 0;  // kDouble
  bool boolean = false;
};

// What scan_strict_object reports, in document order. A visitor only records: the scan's own
// errors (syntax, duplicates, limits) come first, so rules are applied once it has succeeded.
class JsonVisitor {
 public:
  virtual ~JsonVisitor() = default;
  // A member of the top-level object and its value.
  virtual void member(std::string_view name, const JsonValue& value) = 0;
  // An element of the array that is the value of the top-level member `name`.
  virtual void element(std::string_view name, const JsonValue& value) = 0;
};

// Parses `text` as a JSON object under the rules above. `what` names the document in errors (e.g.
// "header", "claims"). Errors: `code` (kMalformedToken for tokens, kInvalidArgument for keys), with
// a message naming the failed rule and, for duplicates, the member name.
Result<boost::json::object> parse_strict_object(std::string_view text, const JsonLimits& limits,
                                                std::string_view what,
                                                Errc code = Errc::kMalformedToken);

// Checks `text` as parse_strict_object does, reporting to `visitor`; the same errors.
Status scan_strict_object(std::string_view text, const JsonLimits& limits, std::string_view what,
                          JsonVisitor& visitor, Errc code = Errc::kMalformedToken);

}  // namespace sg::jose
