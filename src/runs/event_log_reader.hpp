// EventLogReader turns the bytes of a growing `--event-log` file into engine events, line by line.
//
// The pure core: feed() takes whatever bytes arrived (any split, one byte or a megabyte) and
// returns the events of the lines those bytes completed, in order; a partial last line waits for
// its newline. Memory is bounded: a line longer than EventLimits::max_line_bytes is dropped as it
// arrives and reported once, as a kPayloadTooLarge error, when its newline comes (or at finish()).
// Empty lines are skipped; a '\r' before the newline is dropped. Each parsed line yields either an
// event or the parse error, so one bad line never hides the ones after it.
//
// EventLogTail is the thin file helper: poll() reads what the file holds beyond the offset already
// read (at most `max_read` bytes per call) and feeds it through a reader. It never blocks and
// starts no thread; a file that does not exist yet is simply empty. The writer must only append:
// a file that shrinks is an error.
//
// Owner: runs. Neither class is synchronised: one owner (the run's executor) calls it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "runs/engine_event.hpp"

namespace sg::runs {

// The outcome of one line: `line` counts from 1 over all lines seen, empty ones included; `text`
// is the line as written, without its newline or a '\r' before it (empty for an over-long line),
// for callers that pass the raw line on.
struct LineEvent {
  std::uint64_t line = 0;
  Result<EngineEvent> event;
  std::string text;
};

class EventLogReader {
 public:
  explicit EventLogReader(EventLimits limits = {}) : limits_(limits) {}

  // Consumes `bytes`; returns the outcome of every line they completed.
  std::vector<LineEvent> feed(std::string_view bytes);

  // At end of input: the unterminated last line, if any, parsed as a line (a writer killed
  // mid-line leaves one, which then normally fails to parse). The reader is empty afterwards.
  std::vector<LineEvent> finish();

  std::uint64_t bytes_consumed() const { return consumed_; }
  std::size_t pending_bytes() const { return partial_.size(); }

 private:
  void complete_line(std::string_view line, std::vector<LineEvent>& out);

  EventLimits limits_;
  std::string partial_;
  bool oversize_ = false;  // the current line passed max_line_bytes; its bytes are dropped
  std::uint64_t line_ = 0;
  std::uint64_t consumed_ = 0;
};

class EventLogTail {
 public:
  explicit EventLogTail(std::string path, EventLimits limits = {},
                        std::size_t max_read = 4 * 1024 * 1024);
  ~EventLogTail();
  EventLogTail(const EventLogTail&) = delete;
  EventLogTail& operator=(const EventLogTail&) = delete;

  // Reads what is new since the last call. Errors: kIo (open or read failed, the file shrank).
  Result<std::vector<LineEvent>> poll();

  // poll(), then the reader's finish(): for when the writer has exited.
  Result<std::vector<LineEvent>> finish();

  std::uint64_t offset() const { return offset_; }

 private:
  std::string path_;
  EventLogReader reader_;
  std::size_t max_read_;
  int fd_ = -1;
  std::uint64_t offset_ = 0;
  std::string buffer_;
};

}  // namespace sg::runs
