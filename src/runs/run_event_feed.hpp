// RunEventFeed tells the readers of a run's events (Server-Sent Events streams) when there is more
// to read. The events themselves are in the store (store::RunEventRecord): a reader reads what is
// there after its last seq, and when it has caught up it asks the feed to wake it once more
// arrives or the run ends. Every reader reads at its own pace, so a slow subscriber never slows the
// run or the other subscribers; the feed holds only a counter and the waiting callbacks.
//
// A waiter on a run that has not started yet (queued, awaiting approval) waits until it starts
// producing events or ends; the service closes a run whenever it reaches a final status, started
// or not. Wake callbacks are called once, from whichever thread published (or from wait() itself),
// and must be quick and must not call back into the feed. Owned by the run service; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sg::runs {

class RunEventFeed {
 public:
  using Wake = std::function<void()>;

  // A run starts producing events; `last_seq` is what is already stored.
  void open(const std::string& run_id, std::int64_t last_seq);
  // Events up to `last_seq` are stored.
  void published(const std::string& run_id, std::int64_t last_seq);
  // The run ended: no more events; every waiter is woken.
  void close(const std::string& run_id);

  // Calls `wake` when the run has an event after `after_seq` or ends — at once if it already has.
  // Returns a ticket for forget(), 0 when `wake` was called at once.
  std::uint64_t wait(const std::string& run_id, std::int64_t after_seq, Wake wake);
  // Drops a waiter that is no longer interested (its stream closed). Harmless if already woken.
  void forget(const std::string& run_id, std::uint64_t ticket);

  // Number of waiters, for tests and metrics.
  std::size_t waiting() const;

 private:
  struct Waiter {
    std::uint64_t ticket;
    std::int64_t after_seq;
    Wake wake;
  };
  struct Run {
    bool open = false;  // producing events (else: only waiters wait for it)
    std::int64_t last_seq = 0;
    std::vector<Waiter> waiters;
  };

  mutable std::mutex mu_;
  std::map<std::string, Run, std::less<>> runs_;
  std::uint64_t next_ticket_ = 1;
};

}  // namespace sg::runs
