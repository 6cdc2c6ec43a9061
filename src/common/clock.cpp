#include "common/clock.hpp"

#include <cstdio>
#include <ctime>
#include <limits>

namespace sg {
namespace {

Error bad_time(std::string_view what) {
  return make_error(Errc::kInvalidArgument, "not an RFC 3339 date-time: " + std::string(what));
}

// Reads exactly `n` decimal digits at text[pos]; -1 when any is not a digit.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool at(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

Result<Time> parse_rfc3339(std::string_view text) {
  using namespace std::chrono;
  // YYYY-MM-DDTHH:MM:SS
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  const int day = digits(text, 8, 2);
  const int hour = digits(text, 11, 2);
  const int minute = digits(text, 14, 2);
  const int second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 ||
      !at(text, 4, '-') || !at(text, 7, '-') || !at(text, 10, 'T') || !at(text, 13, ':') ||
      !at(text, 16, ':')) {
    return bad_time("expected YYYY-MM-DDTHH:MM:SS");
  }
  const year_month_day date{std::chrono::year(year),
                            std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return bad_time("no such date");
  if (hour > 23 || minute > 59 || second > 59) return bad_time("no such time of day");

  std::size_t pos = 19;
  std::int64_t fraction_ns = 0;
  if (at(text, pos, '.')) {
    ++pos;
    std::size_t n = 0;
    std::int64_t scale = 100'000'000;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++n > 9) return bad_time("more than 9 fraction digits");
      fraction_ns += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (n == 0) return bad_time("expected digits after '.'");
  }

  std::int64_t offset_s = 0;
  if (at(text, pos, 'Z')) {
    ++pos;
  } else if (at(text, pos, '+') || at(text, pos, '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    const int oh = digits(text, pos + 1, 2);
    const int om = digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || !at(text, pos + 3, ':') || oh > 23 || om > 59) {
      return bad_time("expected an offset +HH:MM or -HH:MM");
    }
    offset_s = sign * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return bad_time("expected 'Z' or an offset");
  }
  if (pos != text.size()) return bad_time("unexpected text after the time");

  const std::int64_t days = sys_days(date).time_since_epoch().count();
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  // Time counts nanoseconds in a 64-bit integer; refuse what it cannot hold.
  constexpr std::int64_t kMaxSecs =
      std::numeric_limits<Time::rep>::max() / Time::period::den * Time::period::num - 1;
  if (secs > kMaxSecs || secs < -kMaxSecs) return bad_time("outside the years Time can hold");
  return Time(duration_cast<Time::duration>(seconds(secs) + nanoseconds(fraction_ns)));
}

std::string format_rfc3339(Time t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --secs;
  }
  // Every log line asks for the time: keep the formatted second per thread, add the milliseconds.
  thread_local bool cached_valid = false;  // no sentinel: every time_t is a valid second
  thread_local std::time_t cached_secs = 0;
  thread_local char cached[96];  // room for any int fields: no truncation
  if (!cached_valid || secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_secs = secs;
    cached_valid = true;
  }
  std::string out(cached);
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += 'Z';
  return out;
}

}  // namespace sg
