#include "common/logger.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>

#include "common/clock.hpp"
#include "common/json_text.hpp"

namespace sg {
namespace {

constexpr std::size_t kFlushAtBytes = 64 * 1024;

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a failing log descriptor
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void LogField::append_to(std::string& out) const {
  append_json_string(out, key_);
  out.push_back(':');
  char buf[32];
  switch (kind_) {
    case Kind::kString:
      append_json_string(out, s_);
      return;
    case Kind::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, i_);
      out.append(buf, r.ptr);
      return;
    }
    case Kind::kUint: {
      auto r = std::to_chars(buf, buf + sizeof buf, u_);
      out.append(buf, r.ptr);
      return;
    }
    case Kind::kDouble: {
      if (!std::isfinite(d_)) {
        out += "null";
        return;
      }
      auto r = std::to_chars(buf, buf + sizeof buf, d_);
      out.append(buf, r.ptr);
      return;
    }
    case Kind::kBool:
      out += b_ ? "true" : "false";
      return;
  }
}

Logger::Logger(int fd, LogLevel min_level, std::chrono::milliseconds flush_every)
    : fd_(fd), min_level_(min_level), flush_every_(flush_every) {
  flusher_ = std::thread([this] { run_flusher(); });
}

Logger::~Logger() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  flusher_.join();
  flush();
}

void Logger::log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  if (!enabled(level)) return;
  std::string line;
  line.reserve(160);
  line += "{\"time\":\"";
  line += format_rfc3339(std::chrono::system_clock::now());
  line += "\",\"level\":\"";
  line += level_name(level);
  line += "\",\"msg\":";
  append_json_string(line, msg);
  for (const LogField& f : fields) {
    line.push_back(',');
    f.append_to(line);
  }
  line += "}\n";

  std::unique_lock lock(mu_);
  buffer_ += line;
  if (level >= LogLevel::kWarn || buffer_.size() >= kFlushAtBytes) write_locked(lock);
}

void Logger::write_locked(std::unique_lock<std::mutex>& lock) {
  std::string out;
  out.swap(buffer_);
  std::lock_guard wlock(write_mu_);  // taken before releasing mu_: keeps lines in order
  lock.unlock();
  write_all(fd_, out);
}

void Logger::flush() {
  std::unique_lock lock(mu_);
  if (!buffer_.empty()) write_locked(lock);
}

void Logger::run_flusher() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, flush_every_);
    if (!buffer_.empty()) {
      write_locked(lock);
      lock.lock();
    }
  }
}

}  // namespace sg
