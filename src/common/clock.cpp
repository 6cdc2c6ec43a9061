#include "common/clock.hpp"

#include <cstdio>
#include <ctime>

namespace sg {

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
