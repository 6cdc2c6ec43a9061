// Clock is the one source of wall-clock time; every component takes it injected so tests can pin
// and advance time without sleeping.
//
// SystemClock reads the real clock; ManualClock holds a time that tests set and advance. Both are
// thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sg {

using Time = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Time now() const override { return std::chrono::system_clock::now(); }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start) : ns_(start.time_since_epoch().count()) {}
  Time now() const override { return Time(Time::duration(ns_.load())); }
  void set(Time t) { ns_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::nanoseconds d) {
    ns_.fetch_add(std::chrono::duration_cast<Time::duration>(d).count());
  }

 private:
  std::atomic<Time::rep> ns_;
};

// RFC 3339 in UTC with millisecond precision: "2026-11-29T04:30:41.123Z".
std::string format_rfc3339(Time t);

// Reads an RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS", an optional fraction of 1 to 9 digits, then
// "Z" or an offset "+HH:MM"/"-HH:MM". Upper-case T and Z only; no leap second (:60); only times the
// Time type can hold (years 1678 to 2261 with nanosecond ticks). Errors: kInvalidArgument saying
// what was expected.
Result<Time> parse_rfc3339(std::string_view text);

// Seconds since the Unix epoch, as JWT claims and metrics use them.
inline std::int64_t unix_seconds(Time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace sg
