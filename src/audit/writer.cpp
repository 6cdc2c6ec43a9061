#include "audit/writer.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include "audit/checkpoint.hpp"
#include "audit/checkpoint_keys.hpp"
#include "audit/event_record.hpp"

namespace sg::audit {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How often the idle writer thread looks at the checkpoint interval on its own.
constexpr auto kIdleWake = std::chrono::seconds(1);

// A batch takes at most half the events in the writer's hands (see batch_limit), but at least
// this many.
constexpr std::size_t kMinBatch = 256;

// Committed batches waiting for the SyncWorker, at most, when the next append starts: one being
// synced and one behind it.
constexpr std::size_t kMaxUnsynced = 2;

}  // namespace

AuditWriter::AuditWriter(AuditStore& audit, store::Store& store, const Clock& clock, Logger& log,
                         Options options)
    : audit_(audit), store_(store), clock_(clock), log_(log), options_(options) {}

AuditWriter::~AuditWriter() {
  stop();
}

void AuditWriter::add_listener(Listener listener) {
  listeners_.push_back(std::move(listener));
}

Status AuditWriter::start() {
  Result<ChainHead> head = audit_.head();
  if (!head) return head.error();
  if (options_.key_ring != nullptr) {
    ring_ = options_.key_ring;
  } else {
    if (!is_checkpoint_algorithm(options_.checkpoint_algorithm)) {
      return make_error(Errc::kInvalidArgument, "audit checkpoints are signed with ES256 or EdDSA");
    }
    own_ring_ = std::make_unique<keys::KeyRing>(
        store_, checkpoint_key_ring_options(options_.checkpoint_algorithm));
    ring_ = own_ring_.get();
  }
  if (Status loaded = ring_->load(clock_.now()); !loaded) return loaded.error();
  key_ = ring_->current();
  {
    std::lock_guard lock(mu_);
    head_ = *head;
    stats_.head_seq = head_.seq;
    started_ = true;
  }
  // Events a previous process committed after its last checkpoint (it may have crashed) are
  // covered now; kConflict means that head already has its checkpoint.
  last_checkpoint_seq_ = 0;
  last_checkpoint_time_ = clock_.now();
  maybe_checkpoint(true);
  last_checkpoint_seq_ = head_.seq;
  syncer_ = std::make_unique<SyncWorker>(store_);
  appender_ = std::make_unique<AppendWorker>(store_, [this] {
    {
      std::lock_guard lock(mu_);
      append_done_ = true;
    }
    wake_.notify_one();
  });
  thread_ = std::thread([this] { run(); });
  return {};
}

ChainHead AuditWriter::head() const {
  std::lock_guard lock(mu_);
  return head_;
}

void AuditWriter::submit(std::vector<AuditEvent> events, Completion done) {
  if (events.empty()) {
    done(Status{});
    return;
  }
  const Time now = clock_.now();
  for (AuditEvent& e : events) {
    if (e.time == Time{}) e.time = now;
  }
  std::unique_lock lock(mu_);
  const char* refusal = nullptr;
  if (!started_ || stopping_) {
    refusal = "the audit writer is not running";
  } else if (queued_events_ + events.size() > options_.queue) {
    refusal = "the audit queue is full";
  }
  if (refusal != nullptr) {
    stats_.rejected += events.size();
    lock.unlock();
    done(make_error(Errc::kUnavailable, refusal));
    return;
  }
  queued_events_ += events.size();
  stats_.queued = queued_events_;
  queue_.push_back(Submission{std::move(events), std::move(done)});
  lock.unlock();
  wake_.notify_one();
}

void AuditWriter::record(AuditEvent event) {
  std::string type = event.type;
  std::vector<AuditEvent> one;
  one.push_back(std::move(event));
  submit(std::move(one), [this, type = std::move(type)](const Status& s) {
    if (!s) log_.error("audit event not recorded", {{"type", type}, {"error", s.error().message}});
  });
}

void AuditWriter::poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  wake_.notify_one();
}

void AuditWriter::stop(Duration grace) {
  {
    std::lock_guard lock(mu_);
    if (!started_ || stopping_) {
      stopping_ = true;
    } else {
      stopping_ = true;
      deadline_ = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(grace);
    }
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

AuditWriter::Stats AuditWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void AuditWriter::run() {
  std::vector<Submission> batch;  // being committed; kept across a failed fail-open attempt
  Duration backoff = options_.retry_min;
  for (;;) {
    std::size_t in_batch = 0;
    for (const Submission& s : batch)
      in_batch += s.events.size();
    bool give_up = false;
    {
      std::unique_lock lock(mu_);
      if (batch.empty()) {
        wake_.wait_for(lock, kIdleWake, [&] { return !queue_.empty() || stopping_ || poked_; });
      }
      poked_ = false;
      give_up = past_deadline();
      if (queue_.empty() && batch.empty()) {
        if (stopping_) break;
        lock.unlock();
        maybe_checkpoint(false);
        continue;
      }
      in_batch = take_queued(batch, in_batch, batch.empty());
    }
    if (give_up) {
      // Whatever is still queued fails with the batch; completions run outside the lock.
      {
        std::lock_guard lock(mu_);
        std::move(queue_.begin(), queue_.end(), std::back_inserter(batch));
        queue_.clear();
        in_pipeline_ += queued_events_;
        queued_events_ = 0;
        stats_.queued = 0;
      }
      complete(batch, make_error(Errc::kUnavailable, "the audit writer stopped before committing"));
      break;
    }
    Status status = commit(batch);
    if (status || options_.fail_closed) {
      complete(batch, status);
      backoff = options_.retry_min;
      if (status) maybe_checkpoint(false);
      continue;
    }
    // Fail-open: keep the batch and try again after a back-off (stop()'s deadline cuts it short;
    // until then a stopping writer keeps its pace rather than hammering a failing store).
    std::unique_lock lock(mu_);
    const auto until =
        SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(backoff);
    for (;;) {
      const auto limit = stopping_ ? std::min(until, deadline_) : until;
      if (SteadyClock::now() >= limit) break;
      wake_.wait_until(lock, limit);
    }
    backoff = std::min<Duration>(backoff * 2, options_.retry_max);
  }
  maybe_checkpoint(true);
}

Status AuditWriter::commit(std::vector<Submission>& batch) {
  // head_ is the durable head here: every batch before this one has been synced and published.
  Sealed current = seal_after(batch, head());
  for (;;) {
    if (current.records.empty()) {
      syncer_->drain();
      return {};
    }
    {
      std::lock_guard lock(mu_);
      append_done_ = false;
    }
    // At most kMaxUnsynced committed batches wait for their sync: the memory they hold is bounded.
    syncer_->wait_until_fewer_than(kMaxUnsynced);
    appender_->start(current.after, current.records);
    std::vector<Submission> next;
    Sealed sealed_next{store::AuditHead{current.head.seq, current.head.hash}, current.head, {}};
    take_while_appending(next, sealed_next);
    Status appended = appender_->wait();
    if (!appended) {
      // `next` was sealed on a head that is not stored: it starts again from the durable head,
      // once the batches before this one are durable (or have failed) and published.
      requeue(next);
      syncer_->drain();
      return settle(batch, current, std::move(appended));
    }
    // A checkpoint due is of this batch's head, committed after it and synced with it: power
    // lost before that sync takes both or neither.
    checkpoint_if_due(current.head, false, AuditStore::Durability::kWithNextSync);
    // Answered and published once the SyncWorker has made it durable, while the next batch is
    // inserted.
    syncer_->add([this, committed = Committed{std::move(batch), std::move(current)}](
                     const Status& synced) mutable { finish(committed, synced); });
    batch = std::move(next);
    bool late = false;
    {
      std::lock_guard lock(mu_);
      late = past_deadline();
    }
    if (late) {
      requeue(batch);  // run() fails it with the rest of the queue
      syncer_->drain();
      return {};
    }
    current = std::move(sealed_next);
  }
}

void AuditWriter::finish(Committed& committed, const Status& synced) {
  if (synced) {
    publish(committed.sealed);
    complete(committed.batch, Status{});
    return;
  }
  {
    std::lock_guard lock(mu_);
    stats_.commit_errors += 1;
    stats_.healthy = false;
  }
  log_.error("audit sync failed",
             {{"events", committed.sealed.records.size()}, {"error", synced.error().message}});
  complete(committed.batch, synced);
}

void AuditWriter::take_while_appending(std::vector<Submission>& next, Sealed& sealed) {
  std::size_t in_next = 0;
  for (;;) {
    std::vector<Submission> taken;
    bool finished = false;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] {
        return append_done_ || (!past_deadline() && front_fits(in_next, next.empty()));
      });
      finished = append_done_;
      if (!past_deadline()) in_next = take_queued(taken, in_next, next.empty());
    }
    if (!taken.empty()) {
      seal_into(taken, sealed);
      std::move(taken.begin(), taken.end(), std::back_inserter(next));
    }
    if (finished) return;
  }
}

AuditWriter::Sealed AuditWriter::seal_after(std::vector<Submission>& batch, const ChainHead& head) {
  Sealed sealed{store::AuditHead{head.seq, head.hash}, head, {}};
  seal_into(batch, sealed);
  return sealed;
}

void AuditWriter::seal_into(std::vector<Submission>& batch, Sealed& sealed) {
  // Seal submission by submission: an event a producer got wrong fails its own submission only.
  for (Submission& s : batch) {
    if (s.done == nullptr) continue;  // already answered
    ChainHead tentative = sealed.head;
    std::vector<store::AuditRecord> mine;
    Status ok;
    EventText text;
    for (AuditEvent& e : s.events) {
      Result<ChainHead> next = seal(e, tentative, text);
      if (!next) {
        ok = next.error();
        break;
      }
      mine.push_back(to_record(e, text));
      tentative = std::move(*next);
    }
    if (!ok) {
      log_.error("audit event refused",
                 {{"type", s.events.front().type}, {"error", ok.error().message}});
      s.done(make_error(Errc::kInternal, "an audit event was malformed"));
      s.done = nullptr;
      continue;
    }
    sealed.head = std::move(tentative);
    std::move(mine.begin(), mine.end(), std::back_inserter(sealed.records));
  }
}

Status AuditWriter::settle(std::vector<Submission>& batch, Sealed& sealed, Status appended) {
  for (int attempt = 0;; ++attempt) {
    if (appended) {
      publish(sealed);
      return {};
    }
    {
      std::lock_guard lock(mu_);
      stats_.commit_errors += 1;
      stats_.healthy = false;
    }
    if (appended.code() == Errc::kConflict && attempt == 0) {
      // Another writer appended (a second gateway on the same database): continue its chain.
      log_.warn("audit head moved under the writer; resealing", {{"expected_seq", head().seq}});
      if (Status reloaded = reload_head(); !reloaded) return reloaded;
      sealed = seal_after(batch, head());
      if (sealed.records.empty()) return {};
      appended = store_.append_audit(sealed.after, std::span(sealed.records));
      continue;
    }
    log_.error("audit commit failed",
               {{"events", sealed.records.size()}, {"error", appended.error().message}});
    // The transaction rolled back; the stored head is unchanged unless the failure hid a commit,
    // so read it again before the next attempt (if that fails, the next commit fails too).
    if (Status reloaded = reload_head(); !reloaded && appended.code() != Errc::kStoreUnavailable) {
      return reloaded;
    }
    return appended;
  }
}

void AuditWriter::publish(const Sealed& sealed) {
  {
    std::lock_guard lock(mu_);
    head_ = sealed.head;
    stats_.committed += sealed.records.size();
    stats_.commits += 1;
    stats_.head_seq = head_.seq;
    stats_.healthy = true;
  }
  for (const Listener& l : listeners_)
    l(std::span<const store::AuditRecord>(sealed.records));
}

void AuditWriter::requeue(std::vector<Submission>& batch) {
  std::lock_guard lock(mu_);
  for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
    in_pipeline_ -= it->events.size();
    if (it->done == nullptr) continue;  // answered while sealing
    queued_events_ += it->events.size();
    queue_.push_front(std::move(*it));
  }
  stats_.queued = queued_events_;
  batch.clear();
}

bool AuditWriter::front_fits(std::size_t in_batch, bool batch_empty) const {
  return !queue_.empty() &&
         (batch_empty || in_batch + queue_.front().events.size() <= batch_limit());
}

std::size_t AuditWriter::take_queued(std::vector<Submission>& into, std::size_t in_batch,
                                     bool batch_empty) {
  while (front_fits(in_batch, batch_empty)) {
    const std::size_t events = queue_.front().events.size();
    in_batch += events;
    queued_events_ -= events;
    in_pipeline_ += events;
    into.push_back(std::move(queue_.front()));
    queue_.pop_front();
    batch_empty = false;
  }
  stats_.queued = queued_events_;
  return in_batch;
}

std::size_t AuditWriter::batch_limit() const {
  const std::size_t half = (queued_events_ + in_pipeline_) / 2;
  return std::min(options_.max_batch, std::max(kMinBatch, half));
}

bool AuditWriter::past_deadline() const {
  return stopping_ && SteadyClock::now() >= deadline_;
}

Status AuditWriter::reload_head() {
  Result<ChainHead> head = audit_.head();
  if (!head) return head.error();
  std::lock_guard lock(mu_);
  head_ = std::move(*head);
  stats_.head_seq = head_.seq;
  return {};
}

void AuditWriter::complete(std::vector<Submission>& batch, const Status& status) {
  {
    // Counted before anyone is told, so stats() agrees with what a waiter has just seen.
    std::size_t events = 0;
    std::size_t failed = 0;
    for (const Submission& s : batch) {
      events += s.events.size();
      if (s.done != nullptr) failed += s.events.size();
    }
    std::lock_guard lock(mu_);
    in_pipeline_ -= events;
    if (!status) stats_.failed += failed;
  }
  for (Submission& s : batch) {
    if (s.done != nullptr) s.done(status);
  }
  batch.clear();
}

void AuditWriter::maybe_checkpoint(bool force) {
  checkpoint_if_due(head(), force, AuditStore::Durability::kNow);
}

void AuditWriter::checkpoint_if_due(const ChainHead& head, bool force,
                                    AuditStore::Durability durability) {
  if (!key_) return;
  if (head.seq == 0 || head.seq <= last_checkpoint_seq_) return;
  const Time now = clock_.now();
  const bool due =
      force ||
      head.seq - last_checkpoint_seq_ >= static_cast<std::int64_t>(options_.checkpoint_every) ||
      now - last_checkpoint_time_ >= options_.checkpoint_interval;
  if (!due) return;
  // A key rotated meanwhile (`stackgate keys rotate --purpose audit`) signs from now on.
  if (Status refreshed = ring_->refresh(now); refreshed) {
    key_ = ring_->current();
  } else {
    log_.warn("audit checkpoint keys not re-read", {{"error", refreshed.error().message}});
  }
  Result<SignedCheckpoint> signed_checkpoint = sign_checkpoint(make_checkpoint(head, now), *key_);
  Status stored = signed_checkpoint ? audit_.add_checkpoint(*signed_checkpoint, durability)
                                    : Status(signed_checkpoint.error());
  if (!stored && stored.code() != Errc::kConflict) {
    log_.warn("audit checkpoint not stored",
              {{"seq", head.seq}, {"error", stored.error().message}});
    last_checkpoint_time_ = now;  // try again after the interval, not on every wake
    return;
  }
  last_checkpoint_seq_ = head.seq;
  last_checkpoint_time_ = now;
  if (stored) {
    std::lock_guard lock(mu_);
    stats_.checkpoints += 1;
  }
}

}  // namespace sg::audit
