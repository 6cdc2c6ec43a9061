#include "common/duration.hpp"

#include <array>
#include <cstdint>

namespace sg {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ms;
};

// Largest first: parts must appear in this order.
constexpr std::array<Unit, 5> kUnits{
    {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};

constexpr std::int64_t kMaxMs = std::int64_t{10} * 366 * 86'400'000;

Error bad(std::string_view why) {
  return make_error(
      Errc::kInvalidArgument,
      std::string("expected a duration like 30s, 15m or 1h (") + std::string(why) + ")");
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return bad("empty");
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // index into kUnits of the smallest unit already used, +1
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t n = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++digits > 12) return bad("number too large");
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    if (digits == 0) return bad("a number must come before each unit");
    std::size_t start = i;
    while (i < text.size() && text[i] >= 'a' && text[i] <= 'z')
      ++i;
    std::string_view unit = text.substr(start, i - start);
    if (unit.empty()) {
      return bad(i < text.size() ? "unexpected character" : "missing unit: use ms, s, m, h or d");
    }
    std::size_t u = 0;
    while (u < kUnits.size() && kUnits[u].name != unit)
      ++u;
    if (u == kUnits.size()) return bad("unknown unit '" + std::string(unit) + "'");
    if (u < next_unit) return bad("units must go from largest to smallest, each once");
    next_unit = u + 1;
    if (n > kMaxMs / kUnits[u].ms) return bad("longer than 10 years");
    total += n * kUnits[u].ms;
    if (total > kMaxMs) return bad("longer than 10 years");
  }
  return Duration(total);
}

std::string format_duration(Duration d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (const Unit& u : kUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms);
      out += u.name;
      ms %= u.ms;
    }
  }
  return out;
}

}  // namespace sg
