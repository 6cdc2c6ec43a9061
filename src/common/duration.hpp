// Durations as written in configuration: "500ms", "30s", "15m", "1h", "1h30m", "7d".
//
// A duration is one or more <integer><unit> parts, units ms, s, m, h, d, largest first, each unit
// at most once. No sign, no fraction, no spaces, at most 10 years. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sg {

using Duration = std::chrono::milliseconds;

// Errors: kInvalidArgument with a message saying what was expected.
Result<Duration> parse_duration(std::string_view text);

// The shortest text parse_duration reads back as `d`, e.g. "1h30m", "250ms", "0s".
std::string format_duration(Duration d);

}  // namespace sg
