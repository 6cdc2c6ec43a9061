#include "audit/sink_runner.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <optional>
#include <utility>

namespace sg::audit {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// Longer than any real grace, short enough that now() + it cannot overflow.
constexpr milliseconds kMaxGrace = std::chrono::hours(24 * 365);

SinkRunner::Options in_range(SinkRunner::Options o, std::string_view sink_name) {
  o.batch = std::clamp<std::size_t>(o.batch, 1, store::kMaxAuditPage);
  o.min_backoff = std::max(o.min_backoff, milliseconds(1));
  o.max_backoff = std::max(o.max_backoff, o.min_backoff);
  if (o.cursor_key.empty()) o.cursor_key = sink_cursor_key(sink_name);
  return o;
}

// A stored cursor: a non-negative decimal seq.
std::optional<std::int64_t> parse_seq(std::string_view text) {
  std::int64_t seq = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc() || end != text.data() + text.size() || seq < 0) return std::nullopt;
  return seq;
}

// So that writing to a closed pipe or socket fails with EPIPE instead of ending the process.
void block_sigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

std::string sink_cursor_key(std::string_view sink_name) {
  return "audit.sink." + std::string(sink_name) + ".seq";
}

milliseconds next_backoff(milliseconds previous, const SinkRunner::Options& options) {
  if (previous < options.min_backoff) return options.min_backoff;
  if (previous >= options.max_backoff / 2) return options.max_backoff;
  return previous * 2;
}

SinkRunner::SinkRunner(std::unique_ptr<Sink> sink, store::Store& store, Options options,
                       Logger& log)
    : sink_(std::move(sink)),
      store_(store),
      options_(in_range(std::move(options), sink_->name())),
      log_(log),
      name_(sink_->name()) {}

SinkRunner::~SinkRunner() {
  stop();
}

Status SinkRunner::start(std::int64_t head_seq) {
  {
    std::lock_guard lock(mu_);
    if (state_.running || thread_.joinable()) {
      return make_error(Errc::kInternal, "audit sink " + name_ + ": started twice");
    }
  }
  std::int64_t cursor = head_seq;
  if (sink_->durable()) {
    auto stored = store_.get_meta(options_.cursor_key);
    if (!stored) return stored.error();
    if (!*stored) {
      if (Status saved = store_.put_meta(options_.cursor_key, std::to_string(head_seq)); !saved) {
        return saved;
      }
    } else if (auto seq = parse_seq(**stored)) {
      cursor = *seq;
      if (cursor > head_seq) {
        log_.warn("audit sink cursor is beyond the stored log; continuing from its head",
                  {{"sink", name_}, {"cursor", cursor}, {"head", head_seq}});
        cursor = head_seq;
      }
    } else {
      return make_error(Errc::kInternal, "audit sink " + name_ + ": the stored cursor " +
                                             options_.cursor_key + " is not a seq");
    }
  }
  {
    std::lock_guard lock(mu_);
    cursor_ = cursor;
    known_head_ = std::max(known_head_, head_seq);
    state_.running = true;
  }
  thread_ = std::thread([this] { run(); });
  if (cursor < head_seq) {
    log_.info("audit sink catching up from the store",
              {{"sink", name_}, {"after_seq", cursor}, {"head", head_seq}});
  }
  return {};
}

void SinkRunner::committed(std::span<const store::AuditRecord> records) {
  if (records.empty()) return;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    known_head_ = std::max(known_head_, records.back().seq);
    for (const store::AuditRecord& r : records) {
      if (from_store_) break;
      if (r.seq <= cursor_ || (!buffer_.empty() && r.seq <= buffer_.back().seq)) continue;
      // A seam (the writer skipped a seq): the store fills it.
      if (!buffer_.empty() && r.seq != buffer_.back().seq + 1) buffer_.clear();
      if (buffer_.size() >= options_.buffer) {
        buffer_.clear();
        from_store_ = true;
        ++state_.overflows;
        break;
      }
      buffer_.push_back(r);
    }
    wake = idle_;
  }
  if (wake) cv_.notify_one();
}

void SinkRunner::reopen() {
  sink_->reopen();
}

void SinkRunner::stop(milliseconds grace) {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    deadline_ = SteadyClock::now() + std::clamp(grace, milliseconds(0), kMaxGrace);
  }
  cv_.notify_all();
  thread_.join();
  std::lock_guard lock(mu_);
  state_.running = false;
}

SinkState SinkRunner::state() const {
  std::lock_guard lock(mu_);
  SinkState s = state_;
  s.delivered_seq = cursor_;
  s.committed_seq = known_head_;
  return s;
}

// The events after the cursor: moved from the buffer into `pending` when it holds the next seq
// (kBuffer); else the store must be read, at most `store_limit` events so that the read ends where
// the buffer begins (kStore); or there is nothing to do (kNothing). Called with mu_ held.
SinkRunner::Next SinkRunner::take_next(std::vector<store::AuditRecord>& pending,
                                       std::size_t& store_limit) {
  const std::int64_t next = cursor_ + 1;
  while (!buffer_.empty() && buffer_.front().seq < next)
    buffer_.pop_front();
  if (!buffer_.empty() && buffer_.front().seq == next) {
    const auto n = static_cast<std::ptrdiff_t>(std::min(options_.batch, buffer_.size()));
    pending.assign(std::make_move_iterator(buffer_.begin()),
                   std::make_move_iterator(buffer_.begin() + n));
    buffer_.erase(buffer_.begin(), buffer_.begin() + n);
    return Next::kBuffer;
  }
  if (known_head_ >= next) {
    store_limit = options_.batch;
    if (!buffer_.empty()) {
      store_limit = std::min(store_limit, static_cast<std::size_t>(buffer_.front().seq - next));
    }
    return Next::kStore;
  }
  from_store_ = false;  // caught up: committed() buffers again
  return Next::kNothing;
}

// Reads up to `limit` events after the cursor into `pending`, with mu_ released meanwhile.
Status SinkRunner::read_store(std::unique_lock<std::mutex>& lock, std::size_t limit,
                              std::vector<store::AuditRecord>& pending) {
  const std::int64_t after = cursor_;
  const std::int64_t expected = known_head_;
  lock.unlock();
  store::AuditQuery query;
  query.after_seq = after;
  query.limit = limit;
  auto rows = store_.read_audit(query);
  if (rows && rows->empty()) {
    // Committed events must be stored; a wrong head_seq is the only way here. Nothing is skipped:
    // the cursor stays, and the next commit reads the store again.
    log_.warn("audit sink found no stored event after its cursor; waiting for the next commit",
              {{"sink", name_}, {"after_seq", after}, {"committed_seq", expected}});
  }
  lock.lock();
  if (!rows) return rows.error();
  if (rows->empty() && known_head_ == expected)
    known_head_ = after;  // else: commits came meanwhile
  pending = std::move(rows).value();
  return {};
}

void SinkRunner::run() {
  block_sigpipe();
  std::vector<store::AuditRecord> pending;
  std::unique_lock lock(mu_);
  while (true) {
    if (pending.empty()) {
      std::size_t limit = 0;
      const Next next = take_next(pending, limit);
      if (next == Next::kNothing) {
        if (stopping_) return;
        idle_ = true;
        cv_.wait(lock);
        idle_ = false;
        continue;
      }
      if (next == Next::kStore) {
        if (out_of_time()) return;
        if (Status read = read_store(lock, limit, pending); !read) {
          if (!failed(lock, read.error())) return;
          continue;
        }
        if (pending.empty()) continue;
      }
    }
    if (out_of_time()) return;
    lock.unlock();
    Status sent = sink_->deliver(pending);
    if (sent && sink_->durable()) save_cursor(pending.back().seq);
    lock.lock();
    if (!sent) {
      if (!failed(lock, sent.error())) return;
      continue;
    }
    delivered(lock, pending.back().seq);
    pending.clear();
  }
}

// Records a success up to `seq`. Called with mu_ held; releases it to log a recovery.
void SinkRunner::delivered(std::unique_lock<std::mutex>& lock, std::int64_t seq) {
  cursor_ = seq;
  if (!state_.failing) return;
  state_.failing = false;
  state_.backoff = milliseconds(0);
  const std::uint64_t streak = std::exchange(streak_, 0);
  lock.unlock();
  log_.info("audit sink delivering again",
            {{"sink", name_}, {"failed_attempts", streak}, {"delivered_seq", seq}});
  lock.lock();
}

// Records a failure and waits the back-off. Called with mu_ held; releases it to log the first
// failure of a streak. False when the runner must stop instead of retrying.
bool SinkRunner::failed(std::unique_lock<std::mutex>& lock, const Error& error) {
  const bool first = !state_.failing;
  ++state_.failures;
  ++streak_;
  state_.failing = true;
  state_.backoff = next_backoff(state_.backoff, options_);
  state_.last_error = error.message;
  const milliseconds backoff = state_.backoff;
  const std::int64_t after = cursor_;
  if (first) {
    lock.unlock();
    log_.warn("audit sink delivery failed; retrying with back-off",
              {{"sink", name_},
               {"error", error.message},
               {"after_seq", after},
               {"backoff_ms", static_cast<long long>(backoff.count())}});
    lock.lock();
  }
  return sleep_until(lock, SteadyClock::now() + backoff);
}

// Waits until `until`, or once stopping until the deadline if that comes first. False when the
// deadline has passed. Called with mu_ held.
bool SinkRunner::sleep_until(std::unique_lock<std::mutex>& lock, SteadyTime until) {
  while (true) {
    const SteadyTime now = SteadyClock::now();
    if (out_of_time()) return false;
    if (now >= until) return true;
    cv_.wait_until(lock, stopping_ ? std::min(until, deadline_) : until);
  }
}

// Whether stop()'s grace has run out. Called with mu_ held.
bool SinkRunner::out_of_time() const {
  return stopping_ && SteadyClock::now() >= deadline_;
}

// Stores the durable cursor; a failure only means re-delivery after a restart. The runner's
// thread only, without mu_.
void SinkRunner::save_cursor(std::int64_t seq) {
  Status saved = store_.put_meta(options_.cursor_key, std::to_string(seq));
  if (!saved && !cursor_save_failing_) {
    log_.warn(
        "audit sink cannot store its cursor; events after it will be delivered again "
        "after a restart",
        {{"sink", name_}, {"error", saved.error().message}, {"seq", seq}});
  } else if (saved && cursor_save_failing_) {
    log_.info("audit sink stores its cursor again", {{"sink", name_}, {"seq", seq}});
  }
  cursor_save_failing_ = !saved;
}

}  // namespace sg::audit
