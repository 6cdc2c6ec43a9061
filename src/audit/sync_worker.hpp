// SyncWorker makes the AuditWriter's committed batches durable on a thread of its own, so the
// writer's next batch is inserted while the previous one is fsynced.
//
// The writer appends a batch with Store::append_audit_unsynced and, once that has returned, hands
// the batch's finisher to add(). The thread takes every finisher waiting, calls
// Store::sync_audit() once for all of them (they were all committed before it began), and calls
// each with its outcome, in the order they were added. A finisher runs on this thread and must be
// quick. Owned by the AuditWriter; the Store is borrowed and must outlive it. add() and drain()
// are thread-safe; the destructor finishes what was added, then joins the thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "common/result.hpp"
#include "store/store.hpp"

namespace sg::audit {

class SyncWorker {
 public:
  using Finisher = std::function<void(const Status& synced)>;

  explicit SyncWorker(store::Store& store);
  ~SyncWorker();
  SyncWorker(const SyncWorker&) = delete;
  SyncWorker& operator=(const SyncWorker&) = delete;

  // After a batch's append_audit_unsynced returned OK: `finish` is called once it is durable, or
  // with the sync's error.
  void add(Finisher finish);

  // Returns once every finisher added before has been called.
  void drain();

  // Returns once fewer than `n` (at least 1) finishers are waiting or being called.
  void wait_until_fewer_than(std::size_t n);

 private:
  void run();

  store::Store& store_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Finisher> waiting_;  // guarded by mu_
  std::uint64_t added_ = 0;       // guarded by mu_
  std::uint64_t finished_ = 0;    // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  std::thread thread_;            // started last
};

}  // namespace sg::audit
