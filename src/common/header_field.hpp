// is_header_field says whether `name: value` can be written as one HTTP header line without
// breaking the message apart: a non-empty name without ':', and neither part holding CR, LF or NUL.
// Used wherever stackgate writes headers from values it did not choose itself: the responses the
// session serialises and the requests the outbound HTTP clients send. Pure; thread-safe.
#pragma once

#include <algorithm>
#include <string_view>

namespace sg {

inline bool is_header_field(std::string_view name, std::string_view value) {
  const auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && name.find(':') == std::string_view::npos &&
         std::ranges::none_of(name, bad) && std::ranges::none_of(value, bad);
}

}  // namespace sg
