// FileSink appends committed audit events to a file as JSON lines (one canonical event per line),
// for log shippers and for a copy of the log outside the database.
//
// The file is opened O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC; a new file gets mode 0600 (an existing
// one keeps its mode); the parent folder must exist. Each batch is one write() unless the kernel
// takes less. There is no fsync: a crash may lose the last lines written, and the runner's durable
// cursor (advanced only after deliver() returns) makes them be written again at the next start —
// as is any batch that failed halfway, so a line may appear twice (at-least-once; readers
// de-duplicate by `seq`).
//
// Rotation: `mv audit.jsonl audit.jsonl.1; kill -HUP <pid>` — reopen() only sets a flag, and the
// next deliver() closes the old descriptor and opens the path again, so new events go to a new
// audit.jsonl and the renamed file keeps what was written before. A failed (re)open is a delivery
// error, retried by the runner. Owned by its SinkRunner; deliver() from the runner's thread only,
// reopen() from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "audit/sink.hpp"
#include "common/result.hpp"

namespace sg::audit {

class FileSink final : public Sink {
 public:
  // Opens (creating) `path` now, so a wrong path is reported at start-up.
  // Errors: kIo, "audit sink file:<path>: cannot open: <reason>".
  static Result<std::unique_ptr<FileSink>> open(std::string path);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  std::string_view name() const override { return name_; }
  // Errors: kIo, "audit sink file:<path>: cannot open: <reason>" or "…: write failed: <reason>".
  Status deliver(std::span<const store::AuditRecord> events) override;
  void reopen() override { reopen_.store(true, std::memory_order_relaxed); }
  bool durable() const override { return true; }

 private:
  FileSink(std::string path, int fd);
  Status open_file();

  std::string path_;
  std::string name_;  // "file:" + path
  int fd_ = -1;       // -1: open before the next write
  std::atomic<bool> reopen_{false};
  std::string scratch_;  // the batch's bytes, reused between calls
};

}  // namespace sg::audit
