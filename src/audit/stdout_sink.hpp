// StdoutSink writes committed audit events to standard output as JSON lines (one canonical event
// per line), for container platforms that collect a process's output.
//
// The file descriptor (1 unless a test injects another) is borrowed, never closed. Each batch is
// one write() unless the kernel takes less; EINTR and partial writes are retried, and any other
// failure (a closed pipe: EPIPE, since the runner's thread blocks SIGPIPE) is an error, so the
// runner retries the batch. Not durable: the runner keeps no cursor for it, and after a restart it
// continues with new events. Owned by its SinkRunner; deliver() from the runner's thread only.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "audit/sink.hpp"

namespace sg::audit {

class StdoutSink final : public Sink {
 public:
  explicit StdoutSink(int fd = 1) : fd_(fd) {}

  std::string_view name() const override { return "stdout"; }
  // Errors: kIo, "audit sink stdout: write failed: <reason>".
  Status deliver(std::span<const store::AuditRecord> events) override;
  bool durable() const override { return false; }

 private:
  int fd_;
  std::string scratch_;  // the batch's bytes, reused between calls
};

}  // namespace sg::audit
