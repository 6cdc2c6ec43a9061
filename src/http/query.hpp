// Query parses a request's query string (`a=1&b=x%2Fy`) into decoded parameters, strictly: bad
// percent escapes, repeated names and more than kMaxQueryParams parameters are errors, and a
// handler names the parameters it knows so a misspelt one is refused rather than ignored.
// Pure; not synchronised (one request, one thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace sg::http {

inline constexpr std::size_t kMaxQueryParams = 32;

class Query {
 public:
  // Errors: kInvalidArgument naming the problem (never echoing values).
  static Result<Query> parse(std::string_view query);

  // The decoded value of `name`, if present.
  std::optional<std::string_view> get(std::string_view name) const;

  // Errors: kInvalidArgument naming the first parameter not in `known`.
  Status only(std::initializer_list<std::string_view> known) const;

  // The value of `name` as a decimal integer from `min` to `max`, or `fallback` when absent.
  // Errors: kInvalidArgument "<name>: expected an integer from <min> to <max>".
  Result<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max,
                               std::int64_t fallback) const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace sg::http
