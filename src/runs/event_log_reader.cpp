#include "runs/event_log_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace sg::runs {
namespace {

Error too_long(const EventLimits& limits) {
  return make_error(Errc::kPayloadTooLarge, "engine event is longer than " +
                                                std::to_string(limits.max_line_bytes) + " bytes");
}

Error io_error(const std::string& path, std::string_view what) {
  return make_error(Errc::kIo,
                    "event log " + path + ": " + std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

void EventLogReader::complete_line(std::string_view line, std::vector<LineEvent>& out) {
  ++line_;
  if (oversize_) {
    oversize_ = false;
    out.push_back(LineEvent{line_, too_long(limits_), {}});
    return;
  }
  if (line.ends_with('\r')) line.remove_suffix(1);
  if (line.empty()) return;
  out.push_back(LineEvent{line_, parse_engine_event(line, limits_), std::string(line)});
}

std::vector<LineEvent> EventLogReader::feed(std::string_view bytes) {
  std::vector<LineEvent> out;
  consumed_ += bytes.size();
  while (!bytes.empty()) {
    const std::size_t nl = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, nl);
    // Room for the line plus an optional '\r' before its newline.
    if (!oversize_ && partial_.size() + piece.size() > limits_.max_line_bytes + 1) {
      oversize_ = true;
      partial_.clear();
      partial_.shrink_to_fit();
    }
    if (nl == std::string_view::npos) {
      if (!oversize_) partial_.append(piece);
      break;
    }
    if (partial_.empty()) {
      complete_line(piece, out);  // the common case: no copy
    } else {
      partial_.append(piece);
      complete_line(partial_, out);
      partial_.clear();
    }
    bytes.remove_prefix(nl + 1);
  }
  return out;
}

std::vector<LineEvent> EventLogReader::finish() {
  std::vector<LineEvent> out;
  if (oversize_ || !partial_.empty()) complete_line(partial_, out);
  partial_.clear();
  return out;
}

EventLogTail::EventLogTail(std::string path, EventLimits limits, std::size_t max_read)
    : path_(std::move(path)), reader_(limits), max_read_(max_read) {}

EventLogTail::~EventLogTail() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::vector<LineEvent>> EventLogTail::poll() {
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) {
      if (errno == ENOENT) return std::vector<LineEvent>{};  // not written yet
      return io_error(path_, "cannot open");
    }
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return io_error(path_, "cannot stat");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < offset_) {
    return make_error(Errc::kIo, "event log " + path_ + " shrank from " + std::to_string(offset_) +
                                     " to " + std::to_string(size) + " bytes");
  }
  const std::size_t want =
      static_cast<std::size_t>(std::min<std::uint64_t>(size - offset_, max_read_));
  buffer_.resize(want);
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n =
        ::pread(fd_, buffer_.data() + got, want - got, static_cast<off_t>(offset_ + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(path_, "cannot read");
    if (n == 0) break;  // truncated under us; the next poll notices
    got += static_cast<std::size_t>(n);
  }
  offset_ += got;
  return reader_.feed(std::string_view(buffer_.data(), got));
}

Result<std::vector<LineEvent>> EventLogTail::finish() {
  std::vector<LineEvent> events;
  while (true) {  // each poll reads at most max_read bytes; read until nothing is new
    const std::uint64_t before = offset_;
    auto more = poll();
    if (!more) return more.error();
    for (auto& e : *more)
      events.push_back(std::move(e));
    if (offset_ == before) break;
  }
  for (auto& e : reader_.finish())
    events.push_back(std::move(e));
  return events;
}

}  // namespace sg::runs
