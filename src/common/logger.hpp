// Logger writes structured log lines: one JSON object per line with time, level, msg and fields.
//
// Lines go to a file descriptor it does not own (stderr by default). To keep the request path free
// of a write(2) per line, lines are appended to a buffer that a background thread flushes every
// `flush_every` and whenever it passes 64 KiB; warnings and errors are flushed at once, and
// destruction flushes everything. Callers must never pass secrets or token values as fields.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace sg {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

std::string_view level_name(LogLevel level);

// One key/value of a log line. Holds views: build it in the call expression only.
class LogField {
 public:
  enum class Kind { kString, kInt, kUint, kDouble, kBool };
  LogField(std::string_view key, std::string_view v) : key_(key), kind_(Kind::kString), s_(v) {}
  LogField(std::string_view key, const std::string& v) : LogField(key, std::string_view(v)) {}
  LogField(std::string_view key, const char* v) : LogField(key, std::string_view(v)) {}
  LogField(std::string_view key, int v) : key_(key), kind_(Kind::kInt), i_(v) {}
  LogField(std::string_view key, long v) : key_(key), kind_(Kind::kInt), i_(v) {}
  LogField(std::string_view key, long long v) : key_(key), kind_(Kind::kInt), i_(v) {}
  LogField(std::string_view key, unsigned v) : key_(key), kind_(Kind::kUint), u_(v) {}
  LogField(std::string_view key, unsigned long v) : key_(key), kind_(Kind::kUint), u_(v) {}
  LogField(std::string_view key, unsigned long long v) : key_(key), kind_(Kind::kUint), u_(v) {}
  LogField(std::string_view key, double v) : key_(key), kind_(Kind::kDouble), d_(v) {}
  LogField(std::string_view key, bool v) : key_(key), kind_(Kind::kBool), b_(v) {}

  void append_to(std::string& out) const;

 private:
  std::string_view key_;
  Kind kind_;
  std::string_view s_;
  union {
    std::int64_t i_ = 0;
    std::uint64_t u_;
    double d_;
    bool b_;
  };
};

class Logger {
 public:
  explicit Logger(int fd, LogLevel min_level = LogLevel::kInfo,
                  std::chrono::milliseconds flush_every = std::chrono::milliseconds(100));
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});
  void debug(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kDebug, msg, fields);
  }
  void info(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kInfo, msg, fields);
  }
  void warn(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kWarn, msg, fields);
  }
  void error(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kError, msg, fields);
  }

  bool enabled(LogLevel level) const { return level >= min_level_; }

  // Writes everything buffered so far.
  void flush();

 private:
  void write_locked(std::unique_lock<std::mutex>& lock);
  void run_flusher();

  const int fd_;
  const LogLevel min_level_;
  const std::chrono::milliseconds flush_every_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;
  bool stopping_ = false;
  std::mutex write_mu_;  // serialises write(2) calls so lines never interleave
  std::thread flusher_;
};

}  // namespace sg
