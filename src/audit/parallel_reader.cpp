#include "audit/parallel_reader.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/canonical_event.hpp"

namespace sg::audit {
namespace {

// One page in flight: filled by the worker that took it, then consumed by the calling thread.
struct Slot {
  CheckedBatch batch;
  Status status;       // the read's
  bool ready = false;  // guarded by Pipeline::mu; batch and status belong to the worker until set
};

// What the workers and the calling thread share.
class Pipeline {
 public:
  Pipeline(std::int64_t through_seq, std::size_t page, std::size_t window)
      : through_seq_(through_seq),
        page_(static_cast<std::int64_t>(page)),
        pages_((through_seq - 1) / page_ + 1),  // through_seq >= 1; no overflow near 2^63
        slots_(window) {}

  std::int64_t pages() const { return pages_; }

  // A worker: takes pages until there are none or the pipeline stops.
  void work(store::AuditReader& reader) {
    CanonicalEventReader canonical;  // this thread's
    for (;;) {
      std::int64_t k = 0;
      {
        std::unique_lock lock(mu_);
        changed_.wait(lock, [&] {
          return stop_ || next_ >= pages_ || next_ < consumed_ + std::ssize(slots_);
        });
        if (stop_ || next_ >= pages_) return;
        k = next_++;
      }
      // Free: the page that used it last, k - window, has been consumed.
      Slot& slot = slot_of(k);
      slot.batch.clear();
      Status read;
      try {
        const std::int64_t after = k * page_;  // < through_seq_
        const std::int64_t through = through_seq_ - after <= page_ ? through_seq_ : after + page_;
        read = reader.read(after, through,
                           [&](const store::AuditRowView& row) { slot.batch.add(row, canonical); });
      } catch (const std::exception& e) {
        read = make_error(Errc::kInternal,
                          std::string("audit verify: a reader thread failed: ") + e.what());
      }
      {
        std::lock_guard lock(mu_);
        slot.status = std::move(read);
        slot.ready = true;
      }
      changed_.notify_all();
    }
  }

  // The calling thread: page k once it is read (its status says whether it was).
  Slot& wait_for(std::int64_t k) {
    Slot& slot = slot_of(k);
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return slot.ready; });
    return slot;
  }

  // The calling thread is done with page k: its slot may take page k + window.
  void release(std::int64_t k) {
    {
      std::lock_guard lock(mu_);
      slot_of(k).ready = false;
      ++consumed_;
    }
    changed_.notify_all();
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
  }

 private:
  Slot& slot_of(std::int64_t k) { return slots_[static_cast<std::size_t>(k) % slots_.size()]; }

  const std::int64_t through_seq_;
  const std::int64_t page_;
  const std::int64_t pages_;
  std::vector<Slot> slots_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::int64_t next_ = 0;      // the next page a worker takes
  std::int64_t consumed_ = 0;  // pages released by the calling thread
  bool stop_ = false;
};

// Stops the pipeline and joins its workers however the calling thread leaves.
class Workers {
 public:
  explicit Workers(Pipeline& pipeline) : pipeline_(pipeline) {}
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() {
    pipeline_.stop();
    for (std::thread& t : threads_)
      t.join();
  }

  void start(store::AuditReader& reader) {
    threads_.emplace_back([this, &reader] { pipeline_.work(reader); });
  }

 private:
  Pipeline& pipeline_;
  std::vector<std::thread> threads_;
};

}  // namespace

unsigned default_reader_threads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

Status read_checked(store::Store& store, std::int64_t through_seq, std::size_t page,
                    unsigned threads, const std::function<bool(const CheckedBatch&)>& consume) {
  if (page == 0) return make_error(Errc::kInvalidArgument, "audit verify: page must be at least 1");
  if (through_seq <= 0) return {};
  if (threads == 0) threads = default_reader_threads();
  // No more readers than pages.
  const std::int64_t pages = (through_seq - 1) / static_cast<std::int64_t>(page) + 1;
  threads = static_cast<unsigned>(std::min<std::int64_t>(threads, pages));
  // Each reader opened before any thread starts, so a store that cannot give one fails here.
  std::vector<std::unique_ptr<store::AuditReader>> readers;
  for (unsigned i = 0; i < threads; ++i) {
    Result<std::unique_ptr<store::AuditReader>> reader = store.open_audit_reader();
    if (!reader) return reader.error();
    readers.push_back(std::move(*reader));
  }
  Pipeline pipeline(through_seq, page, 2 * static_cast<std::size_t>(threads));
  Workers workers(pipeline);  // declared after the pipeline and readers: joined before they go
  for (std::unique_ptr<store::AuditReader>& reader : readers)
    workers.start(*reader);
  for (std::int64_t k = 0; k < pipeline.pages(); ++k) {
    Slot& slot = pipeline.wait_for(k);
    if (!slot.status) return slot.status;
    if (!consume(slot.batch)) return {};
    pipeline.release(k);
  }
  return {};
}

}  // namespace sg::audit
