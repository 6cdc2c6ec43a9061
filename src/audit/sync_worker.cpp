#include "audit/sync_worker.hpp"

#include <utility>

namespace sg::audit {

SyncWorker::SyncWorker(store::Store& store) : store_(store), thread_([this] { run(); }) {}

SyncWorker::~SyncWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SyncWorker::add(Finisher finish) {
  {
    std::lock_guard lock(mu_);
    waiting_.push_back(std::move(finish));
    ++added_;
  }
  cv_.notify_all();
}

void SyncWorker::drain() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = added_;
  cv_.wait(lock, [&] { return finished_ >= target; });
}

void SyncWorker::wait_until_fewer_than(std::size_t n) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return added_ - finished_ < n; });
}

void SyncWorker::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    // A stopping worker still syncs and finishes what it was given.
    cv_.wait(lock, [&] { return !waiting_.empty() || stopping_; });
    if (waiting_.empty()) return;
    std::deque<Finisher> batch;
    batch.swap(waiting_);
    lock.unlock();
    const Status synced = store_.sync_audit();
    for (Finisher& finish : batch)
      finish(synced);
    lock.lock();
    finished_ += batch.size();
    cv_.notify_all();
  }
}

}  // namespace sg::audit
