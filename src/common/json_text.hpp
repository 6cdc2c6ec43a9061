// Helpers for writing JSON text by hand on hot paths (log lines, small responses) without building
// a Boost.JSON value first.
//
// append_json_string escapes control characters, quotes and backslashes, and replaces every byte
// that is not part of valid UTF-8 with U+FFFD, so the output is always valid JSON whatever the
// input (request paths, headers and YAML values are hostile). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sg {

// Appends `s` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

// Returns `s` as a quoted JSON string.
std::string json_quote(std::string_view s);

// Number of bytes of the valid UTF-8 sequence starting at s[i], or 0 if none starts there.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

}  // namespace sg
