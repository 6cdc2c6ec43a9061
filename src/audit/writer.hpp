// AuditWriter makes audit events durable: producers submit events to a bounded queue, and one
// writer thread seals them into the hash chain and appends them to the store many at a time (group
// commit: one transaction, one fsync, for everything that queued while the previous commit ran).
// It also signs a checkpoint of the head every `checkpoint_every` events or `checkpoint_interval`,
// and hands every committed batch to its listeners (the sinks) in seq order.
//
// Three stages overlap. While one batch's transaction commits (on an AppendWorker thread, without
// an fsync: Store::append_audit_unsynced), the writer thread takes what queues meanwhile and seals
// it onto that batch's tentative head, and appends it as soon as the first has committed; the
// committed batch goes to a SyncWorker thread, which fsyncs it (Store::sync_audit, once for every
// batch waiting) and only then answers its submissions and hands it to the listeners. If an
// append fails, the batch sealed behind it goes back to the front of the queue and is sealed
// again from the durable head once the batches before are synced; nothing is committed on a head
// that does not exist, and every submission is answered only once its own transaction is
// durable. If a sync fails, its batches are answered with the error (and the SQLite store refuses
// every later append).
//
// Each submission carries a completion, called exactly once: with OK once its events are durable,
// or with an error (kUnavailable: the queue is full or the writer is stopped; kStoreUnavailable:
// the store refused the commit). A request whose answer depends on its events waits for the
// completion and, with `fail_closed`, answers 503 on an error — so nothing is allowed without its
// record. With `fail_closed: false` a failed batch is kept and retried with back-off instead (new
// events are still refused when the queue is full, and counted as dropped).
//
// Events are stamped with the writer's clock when their time is unset. A submission is never split
// across transactions. Completions run on the writer thread or the SyncWorker's, listeners on the
// SyncWorker's (one batch at a time, in seq order; on the writer thread after a conflict): both
// must be quick, thread-safe and must not submit. Owned by the app; the AuditStore, Store, Clock
// and Logger are borrowed and must outlive it. submit(), stats() and stop() are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "audit/append_worker.hpp"
#include "audit/audit_store.hpp"
#include "audit/chain.hpp"
#include "audit/event.hpp"
#include "audit/sync_worker.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/signing_key.hpp"
#include "keys/key_ring.hpp"
#include "store/audit_records.hpp"
#include "store/store.hpp"

namespace sg::audit {

class AuditWriter {
 public:
  using Completion = std::function<void(const Status&)>;
  // Receives each durable batch, in seq order (see the class comment for the thread).
  using Listener = std::function<void(std::span<const store::AuditRecord>)>;

  struct Options {
    // Events waiting, at most; besides them up to four batches are in the pipeline (one being
    // sealed, one committing, and up to two committed and waiting for their fsync).
    std::size_t queue = 65'536;
    // Events per transaction, at most (a submission is not split). Below it a batch takes at most
    // half the events in the writer's hands, at least 256 (batch_limit).
    std::size_t max_batch = 4'096;
    unsigned checkpoint_every = 1000;
    Duration checkpoint_interval = std::chrono::minutes(1);
    jose::Algorithm checkpoint_algorithm = jose::Algorithm::kES256;
    // The ring of checkpoint keys (purpose "audit"), borrowed; it must outlive the writer. When
    // null the writer keeps its own, without a key-encryption key, made with checkpoint_algorithm.
    keys::KeyRing* key_ring = nullptr;
    bool fail_closed = true;
    Duration retry_min = std::chrono::milliseconds(100);  // fail-open back-off, doubling
    Duration retry_max = std::chrono::seconds(5);
  };

  struct Stats {
    std::uint64_t committed = 0;  // events made durable since start
    std::uint64_t commits = 0;    // transactions
    std::uint64_t failed = 0;     // events whose commit failed (answered with an error)
    std::uint64_t rejected = 0;   // events refused because the queue was full or stopped
    std::uint64_t commit_errors = 0;
    std::uint64_t checkpoints = 0;  // checkpoints signed since start
    std::size_t queued = 0;
    std::int64_t head_seq = 0;
    bool healthy = true;  // the last commit (if any) succeeded
  };

  AuditWriter(AuditStore& audit, store::Store& store, const Clock& clock, Logger& log,
              Options options);
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Before start(): adds a listener of committed batches.
  void add_listener(Listener listener);

  // Reads the stored head, loads (or creates) the checkpoint key, and starts the writer thread.
  // Errors: kStoreUnavailable, kInvalidConfig (the key is sealed with another or no
  // key-encryption key), kInternal (the stored key cannot be read).
  Status start();

  // The stored head as of start(), then the head after each commit.
  ChainHead head() const;

  // Queues `events` (at least one) and calls `done` once they are durable or have failed. Never
  // blocks on the store. Events whose time is the epoch are stamped with the writer's clock.
  void submit(std::vector<AuditEvent> events, Completion done);

  // submit() for one event whose outcome nobody waits for (failures are logged and counted).
  void record(AuditEvent event);

  // Commits what is queued (for at most `grace`; what is left fails with kUnavailable), signs a
  // final checkpoint if events were added since the last one, and stops the thread. Idempotent.
  void stop(Duration grace = std::chrono::seconds(10));

  // Wakes the writer to check the checkpoint interval against the clock now (tests with a manual
  // clock; the thread also wakes by itself at least once a second).
  void poke();

  Stats stats() const;

 private:
  struct Submission {
    std::vector<AuditEvent> events;
    Completion done;
  };

  // A batch's records sealed after `after`, and the head they lead to.
  struct Sealed {
    store::AuditHead after;
    ChainHead head;
    std::vector<store::AuditRecord> records;
  };

  // A batch committed but not yet synced, held by the SyncWorker.
  struct Committed {
    std::vector<Submission> batch;
    Sealed sealed;
  };

  void run();
  // Seals and commits `batch` after head_, then, while each append runs, the batches that queue
  // behind it (see the class comment). Returns with `batch` holding the last batch, committed or
  // failed, for run() to complete; those before it are completed here. Errors: the store's.
  Status commit(std::vector<Submission>& batch);
  // Takes what queues while the AppendWorker's append runs into `next`, sealing it onto `sealed`,
  // until the append has finished.
  void take_while_appending(std::vector<Submission>& next, Sealed& sealed);
  // Seals `batch` after `head`; a submission with a malformed event is answered here and skipped.
  Sealed seal_after(std::vector<Submission>& batch, const ChainHead& head);
  void seal_into(std::vector<Submission>& batch, Sealed& sealed);
  // Finishes a batch whose append answered `appended`: publishes it, or after a conflict seals it
  // again from the stored head and retries once, or reloads the head and returns the error.
  Status settle(std::vector<Submission>& batch, Sealed& sealed, Status appended);
  // On the SyncWorker's thread, once `committed` has been synced: publishes and answers it, or
  // answers it with the sync's error.
  void finish(Committed& committed, const Status& synced);
  // Makes a durable batch the head and hands it to the listeners.
  void publish(const Sealed& sealed);
  // Puts `batch` back at the front of the queue, in order, to be sealed again.
  void requeue(std::vector<Submission>& batch);
  bool past_deadline() const;  // with mu_ held
  // The most events the next batch takes, with mu_ held: half of those in the writer's hands
  // (queued, or taken and not yet answered), so that two batches are in flight at once — one
  // committing or syncing while the next fills — but at least 256 and at most max_batch.
  std::size_t batch_limit() const;
  // With mu_ held: whether the queue's front submission fits a batch of `in_batch` events (an
  // empty batch takes one whatever its size).
  bool front_fits(std::size_t in_batch, bool batch_empty) const;
  // With mu_ held: moves submissions from the front of the queue into `into` while they fit a batch
  // of `in_batch` events, counting them as in the pipeline. Returns the batch's events now.
  std::size_t take_queued(std::vector<Submission>& into, std::size_t in_batch, bool batch_empty);
  void complete(std::vector<Submission>& batch, const Status& status);
  // Signs and stores a checkpoint of the durable head if one is due (or `force`).
  void maybe_checkpoint(bool force);
  // ... of `head`, stored with `durability`.
  void checkpoint_if_due(const ChainHead& head, bool force, AuditStore::Durability durability);
  Status reload_head();

  AuditStore& audit_;
  store::Store& store_;
  const Clock& clock_;
  Logger& log_;
  const Options options_;
  std::vector<Listener> listeners_;
  std::unique_ptr<keys::KeyRing> own_ring_;  // when options_.key_ring is null
  keys::KeyRing* ring_ = nullptr;
  std::optional<jose::SigningKey> key_;  // the ring's current key, refreshed at each checkpoint

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Submission> queue_;   // guarded by mu_
  std::size_t queued_events_ = 0;  // guarded by mu_
  std::size_t in_pipeline_ = 0;    // guarded by mu_; taken from the queue, not yet answered
  bool stopping_ = false;          // guarded by mu_
  bool started_ = false;           // guarded by mu_
  bool poked_ = false;             // guarded by mu_
  std::chrono::steady_clock::time_point deadline_{};  // stop(): give up after this
  // The durable head, guarded by mu_: set by publish() (on the SyncWorker's thread, or the writer
  // thread after a conflict) and by start() and reload_head() (with the SyncWorker drained).
  ChainHead head_;
  Stats stats_;               // guarded by mu_
  bool append_done_ = false;  // guarded by mu_; the AppendWorker's append has finished
  // Created by start(); after mu_ and wake_, which their callbacks use. The SyncWorker is
  // destroyed after the AppendWorker (both idle by then: the writer thread drains them).
  std::unique_ptr<SyncWorker> syncer_;
  std::unique_ptr<AppendWorker> appender_;

  // Writer-thread state.
  std::int64_t last_checkpoint_seq_ = 0;
  Time last_checkpoint_time_{};
  std::thread thread_;
};

}  // namespace sg::audit
