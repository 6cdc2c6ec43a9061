// Test doubles for the sink runner tests: a scripted Sink whose calls the test can hold and
// release, and a Store wrapper whose reads and meta writes can be made to fail. Test-only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/sink.hpp"
#include "store/forwarding_store.hpp"
#include "store/store.hpp"

namespace sg::audit::test {

inline constexpr std::chrono::seconds kPatience{10};  // generous: only reached when a test fails

// What a FakeSink saw and will answer; shared between the test and the sink (which the runner
// owns). Every member is guarded by mu.
struct SinkScript {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::vector<std::int64_t>> attempts;  // the seqs of every deliver() call
  std::vector<std::int64_t> delivered;              // the seqs of successful calls, in order
  std::deque<Status> results;                       // the next answers; OK once empty
  bool always_fail = false;
  int permits = -1;  // deliver() calls that may finish; -1: any number; 0: calls wait
  int reopened = 0;

  void allow(int n) {
    std::lock_guard lock(mu);
    permits = n;
    cv.notify_all();
  }
  // Waits (at most kPatience) until `done` holds, under mu.
  bool wait_until(const std::function<bool()>& done) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, kPatience, done);
  }
  std::vector<std::vector<std::int64_t>> attempts_copy() {
    std::lock_guard lock(mu);
    return attempts;
  }
  std::vector<std::int64_t> delivered_copy() {
    std::lock_guard lock(mu);
    return delivered;
  }
};

class FakeSink final : public Sink {
 public:
  FakeSink(std::shared_ptr<SinkScript> script, bool durable, std::string name = "fake")
      : script_(std::move(script)), durable_(durable), name_(std::move(name)) {}

  std::string_view name() const override { return name_; }
  bool durable() const override { return durable_; }
  void reopen() override {
    std::lock_guard lock(script_->mu);
    ++script_->reopened;
    script_->cv.notify_all();
  }

  Status deliver(std::span<const store::AuditRecord> events) override {
    SinkScript& s = *script_;
    std::unique_lock lock(s.mu);
    std::vector<std::int64_t> seqs;
    for (const auto& e : events)
      seqs.push_back(e.seq);
    s.attempts.push_back(seqs);
    s.cv.notify_all();
    s.cv.wait(lock, [&] { return s.permits != 0; });
    if (s.permits > 0) --s.permits;
    Status result;
    if (s.always_fail) {
      result = make_error(Errc::kUnavailable, "fake sink is down");
    } else if (!s.results.empty()) {
      result = s.results.front();
      s.results.pop_front();
    }
    if (result) s.delivered.insert(s.delivered.end(), seqs.begin(), seqs.end());
    s.cv.notify_all();
    return result;
  }

 private:
  std::shared_ptr<SinkScript> script_;
  bool durable_;
  std::string name_;
};

// Passes everything to `inner`, except the failures a test asks for.
class FlakyStore final : public store::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  std::atomic<int> failing_reads{0};      // read_audit calls still to fail
  std::atomic<int> failing_puts{0};       // put_meta calls still to fail
  std::atomic<bool> failing_gets{false};  // get_meta fails
  std::atomic<int> reads{0};              // read_audit calls so far

  Result<std::optional<std::string>> get_meta(std::string_view key) override {
    if (failing_gets) return down("get_meta");
    return ForwardingStore::get_meta(key);
  }
  Status put_meta(std::string_view key, std::string_view value) override {
    if (take(failing_puts)) return down("put_meta");
    return ForwardingStore::put_meta(key, value);
  }
  Result<std::vector<store::AuditRecord>> read_audit(const store::AuditQuery& query) override {
    ++reads;
    if (take(failing_reads)) return down("read_audit");
    return ForwardingStore::read_audit(query);
  }

 private:
  static bool take(std::atomic<int>& n) {
    int v = n.load();
    while (v > 0 && !n.compare_exchange_weak(v, v - 1)) {
    }
    return v > 0;
  }
  static Error down(std::string_view what) {
    return make_error(Errc::kStoreUnavailable, std::string(what) + ": database is locked");
  }
};

// Polls `done` every millisecond until it holds, at most kPatience; for state with no condition
// variable to wait on (the runner's counters). Returns done().
inline bool eventually(const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace sg::audit::test
