// SinkRunner feeds one Sink with every committed audit event, from its own thread, in seq order,
// at least once — without ever making the audit writer wait for the sink.
//
// The writer calls committed() after each group commit; it only copies the records into a
// bounded in-memory buffer under a short mutex. When the buffer is full it is dropped and the
// runner catches up from the store instead (read_audit after its cursor), so a slow or broken sink
// costs memory up to `buffer` events and never loses one. The runner's thread takes up to `batch`
// events at a time — from the buffer when it holds the next seq, else from the store — and calls
// deliver(). After a success it advances its cursor (for a durable sink also in the store's meta
// table under `cursor_key`, so a restart resumes there); after a failure it waits a back-off
// (doubling from min_backoff to max_backoff, cut short by stop()) and retries the same events.
// The first failure of a streak is logged as a warning (the sink's name and the error, which never
// holds a secret), the recovery as an info. The thread blocks SIGPIPE, so a closed pipe or socket
// is an EPIPE error, not the end of the process.
//
// Guarantees: events reach the sink in seq order, without gaps; an event may be delivered twice
// (a failed deliver() may have written part of its batch; a crash or a stop between deliver() and
// the cursor update re-delivers at the next start) — never lost while the store keeps it, for a
// durable sink. A non-durable sink (stdout) starts after the head at every start.
//
// Owned by the app, beside the Store it reads (which must outlive it) and the Logger. start() and
// stop() from the owning thread; committed(), reopen() and state() from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "audit/sink.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "store/audit_records.hpp"
#include "store/store.hpp"

namespace sg::audit {

// What a runner reports for metrics and /readyz. A plain snapshot.
struct SinkState {
  std::int64_t delivered_seq = 0;  // the last event delivered (the cursor)
  std::int64_t committed_seq = 0;  // the last event known committed: the lag is the difference
  std::uint64_t failures = 0;      // failed deliveries (and failed store reads) since start
  bool failing = false;            // the last attempt failed
  std::chrono::milliseconds backoff{0};  // the wait before the next retry; 0 unless failing
  std::uint64_t overflows = 0;           // times the buffer was dropped for the store
  std::string last_error;                // the last failure's message (no secrets); kept
  bool running = false;                  // between start() and the end of stop()
};

// "audit.sink.<name>.seq": the meta key of a durable sink's cursor.
std::string sink_cursor_key(std::string_view sink_name);

class SinkRunner {
 public:
  struct Options {
    std::size_t batch = 100;      // most events per deliver(); 1..store::kMaxAuditPage
    std::size_t buffer = 10'000;  // events held in memory; beyond this the runner reads the store
    std::chrono::milliseconds min_backoff{100};     // at least 1 ms
    std::chrono::milliseconds max_backoff{30'000};  // at least min_backoff
    std::string cursor_key;  // meta key for a durable sink; empty: sink_cursor_key(sink->name())
  };

  // Out-of-range options are brought into range (see Options).
  SinkRunner(std::unique_ptr<Sink> sink, store::Store& store, Options options, Logger& log);
  ~SinkRunner();  // stop()
  SinkRunner(const SinkRunner&) = delete;
  SinkRunner& operator=(const SinkRunner&) = delete;

  // Starts the thread; once only. `head_seq` is the stored head when the gateway starts. A durable
  // sink resumes after its stored cursor (events between cursor and head are read from the store
  // and delivered first; a cursor beyond the head — a store restored from a backup — is brought
  // back to the head, with a warning); with no stored cursor (first start with this sink) it
  // starts after head_seq and stores that cursor at once. A non-durable sink starts after
  // head_seq. Errors: kStoreUnavailable, kInternal (already started, or the stored cursor is not a
  // seq).
  Status start(std::int64_t head_seq);

  // Called by the writer after each commit, in seq order. Never blocks on the sink (only a short
  // mutex): copies into the in-memory buffer; when the buffer is full the runner drops the buffer
  // and catches up from the store. May be called before start().
  void committed(std::span<const store::AuditRecord> records);

  // Asks the sink to reopen its output (SIGHUP after log rotation).
  void reopen();

  // Stops the thread: delivers what is pending for at most `grace`, then gives up (a durable cursor
  // means the rest is re-delivered at the next start). A deliver() under way is not interrupted:
  // stop returns when it ends (the webhook's timeout bounds it). Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  std::string_view name() const { return sink_->name(); }
  const Options& options() const { return options_; }
  SinkState state() const;

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  enum class Next { kBuffer, kStore, kNothing };

  void run();
  Next take_next(std::vector<store::AuditRecord>& pending, std::size_t& store_limit);
  Status read_store(std::unique_lock<std::mutex>& lock, std::size_t limit,
                    std::vector<store::AuditRecord>& pending);
  void delivered(std::unique_lock<std::mutex>& lock, std::int64_t seq);
  bool failed(std::unique_lock<std::mutex>& lock, const Error& error);
  bool sleep_until(std::unique_lock<std::mutex>& lock, SteadyTime until);
  bool out_of_time() const;
  void save_cursor(std::int64_t seq);

  const std::unique_ptr<Sink> sink_;
  store::Store& store_;
  Options options_;
  Logger& log_;
  const std::string name_;  // copied: logged without calling into the sink

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<store::AuditRecord> buffer_;  // contiguous seqs, each > cursor_ once started
  bool from_store_ = false;      // the buffer overflowed: committed() only moves known_head_
  std::int64_t cursor_ = 0;      // the last event delivered
  std::int64_t known_head_ = 0;  // the last event known committed
  bool idle_ = false;            // the thread waits for committed()
  bool stopping_ = false;
  SteadyTime deadline_{};     // when stopping: give up after this
  SinkState state_;           // failures, failing, backoff, overflows, last_error, running
  std::uint64_t streak_ = 0;  // failures in a row (for the recovery log line)

  bool cursor_save_failing_ = false;  // the runner's thread only
  std::thread thread_;
};

// The back-off after a failure, given the one before it (0 after a success): min_backoff, then
// doubling up to max_backoff. Exposed for tests.
std::chrono::milliseconds next_backoff(std::chrono::milliseconds previous,
                                       const SinkRunner::Options& options);

}  // namespace sg::audit
