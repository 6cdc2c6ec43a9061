// AppendWorker runs the AuditWriter's store appends on a thread of its own, one at a time, so the
// writer thread can seal the next batch while the current one is inserted.
//
// start() hands it one append (Store::append_audit_unsynced: committed, not yet fsynced — the
// SyncWorker does that next); when the append has finished, the worker calls `on_done` (on its
// thread; it must be quick: the writer sets a flag and wakes itself) and wait() returns the
// append's status. The records and the head passed to start() must stay untouched until wait()
// has returned. Owned by the AuditWriter; the Store is borrowed and must outlive it, and must be
// thread-safe. start() and wait() are called by one thread (the writer's); the destructor waits
// for an append in flight, then joins the thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include "common/result.hpp"
#include "store/audit_records.hpp"
#include "store/store.hpp"

namespace sg::audit {

class AppendWorker {
 public:
  AppendWorker(store::Store& store, std::function<void()> on_done);
  ~AppendWorker();
  AppendWorker(const AppendWorker&) = delete;
  AppendWorker& operator=(const AppendWorker&) = delete;

  // Starts Store::append_audit_unsynced(after, records). Only when no append is in flight (after
  // wait()).
  void start(const store::AuditHead& after, std::span<const store::AuditRecord> records);

  // Waits for the append started last to finish and returns its status.
  Status wait();

 private:
  void run();

  store::Store& store_;
  std::function<void()> on_done_;

  std::mutex mu_;
  std::condition_variable cv_;
  const store::AuditHead* after_ = nullptr;      // guarded by mu_; set while one is wanted
  std::span<const store::AuditRecord> records_;  // guarded by mu_
  std::optional<Status> result_;                 // guarded by mu_; set when one finished
  bool stopping_ = false;                        // guarded by mu_
  std::thread thread_;
};

}  // namespace sg::audit
