// Converters from one YAML value to a typed configuration value, for ObjectReader::read.
//
// Each converter has the shape (Context&, const Value&) -> std::optional<T>: it returns the value,
// or reports what it found and what it expected and returns nothing. The factories (uint_in,
// duration_in, …) bind the bounds. Shared by the configuration and policy loaders. Pure apart from
// the Context it reports into; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/duration.hpp"
#include "config/yaml_reader.hpp"

namespace sg::config {

// Any non-empty scalar, as written.
std::optional<std::string> as_string(Context& ctx, const Value& v);

// `true` or `false`, unquoted.
std::optional<bool> as_bool(Context& ctx, const Value& v);

// An unquoted decimal integer in [min, max].
std::optional<std::uint64_t> read_uint(Context& ctx, const Value& v, std::uint64_t min,
                                       std::uint64_t max);

// A byte count: an integer, or a string like "16KiB", "1MiB", "1GiB"; in [min, max].
std::optional<std::uint64_t> read_size(Context& ctx, const Value& v, std::uint64_t min,
                                       std::uint64_t max);

// A duration string (common/duration.hpp) in [min, max]; a bare number is refused.
std::optional<Duration> read_duration(Context& ctx, const Value& v, Duration min, Duration max);

// A name made only of the characters `allowed` accepts; `pattern` describes them in messages.
std::optional<std::string> read_name(Context& ctx, const Value& v, std::string_view pattern,
                                     bool (*allowed)(char));

// A string, or a list of strings, as a list.
std::optional<std::vector<std::string>> as_string_list(Context& ctx, const Value& v);

// A mapping of names to scalars.
std::optional<std::map<std::string, std::string>> as_string_map(Context& ctx, const Value& v);

// [A-Za-z_][A-Za-z0-9_]*: environment variable names and principal attribute names.
bool is_identifier(std::string_view s);

// Character classes for read_name.
bool is_lower_name_char(char c);  // [a-z0-9-]
bool is_name_char(char c);        // [A-Za-z0-9._-]

inline constexpr Duration kNoLimit = Duration(std::int64_t{10} * 366 * 86'400'000);

inline auto uint_in(std::uint64_t min, std::uint64_t max) {
  return [=](Context& ctx, const Value& v) { return read_uint(ctx, v, min, max); };
}
inline auto size_in(std::uint64_t min, std::uint64_t max) {
  return [=](Context& ctx, const Value& v) { return read_size(ctx, v, min, max); };
}
// Durations must be positive unless `min` says otherwise.
inline auto duration_in(Duration min = Duration(1), Duration max = kNoLimit) {
  return [=](Context& ctx, const Value& v) { return read_duration(ctx, v, min, max); };
}
inline auto name_like(std::string_view pattern, bool (*allowed)(char)) {
  return [=](Context& ctx, const Value& v) { return read_name(ctx, v, pattern, allowed); };
}

}  // namespace sg::config
