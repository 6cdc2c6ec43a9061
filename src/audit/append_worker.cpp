#include "audit/append_worker.hpp"

#include <utility>

namespace sg::audit {

AppendWorker::AppendWorker(store::Store& store, std::function<void()> on_done)
    : store_(store), on_done_(std::move(on_done)), thread_([this] { run(); }) {}

AppendWorker::~AppendWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void AppendWorker::start(const store::AuditHead& after,
                         std::span<const store::AuditRecord> records) {
  {
    std::lock_guard lock(mu_);
    after_ = &after;
    records_ = records;
    result_.reset();
  }
  cv_.notify_all();
}

Status AppendWorker::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return result_.has_value(); });
  return *result_;
}

void AppendWorker::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    // A stopping worker still finishes an append it was given (the writer waits for it).
    cv_.wait(lock, [&] { return after_ != nullptr || stopping_; });
    if (after_ == nullptr) return;
    const store::AuditHead& after = *after_;
    const std::span<const store::AuditRecord> records = records_;
    lock.unlock();
    Status status = store_.append_audit_unsynced(after, records);
    lock.lock();
    after_ = nullptr;
    result_ = std::move(status);
    cv_.notify_all();
    lock.unlock();
    on_done_();
    lock.lock();
  }
}

}  // namespace sg::audit
