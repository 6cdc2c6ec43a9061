// OutputTail keeps the last `max_bytes` bytes of a stream (a child's stdout or stderr) and counts
// the bytes it let go, so a run that prints gigabytes costs at most max_bytes of memory and the
// end of the output, where the errors are, survives.
//
// The kept text may start inside a UTF-8 sequence or a line; callers showing it say how many bytes
// were dropped. Owner: runs. Plain value type, not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sg::runs {

class OutputTail {
 public:
  OutputTail() = default;  // keeps nothing
  explicit OutputTail(std::size_t max_bytes) : max_(max_bytes) {}

  void append(std::string_view bytes);

  // The last min(total, max_bytes) bytes of everything appended.
  std::string_view text() const { return std::string_view(buf_).substr(start_); }
  // Bytes appended but no longer held.
  std::uint64_t dropped() const { return dropped_; }
  std::uint64_t total() const { return dropped_ + text().size(); }

 private:
  std::size_t max_ = 0;
  std::string buf_;        // grows to at most 2 * max_ before it is compacted
  std::size_t start_ = 0;  // text() begins here
  std::uint64_t dropped_ = 0;
};

}  // namespace sg::runs
