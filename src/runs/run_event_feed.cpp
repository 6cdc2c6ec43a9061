#include "runs/run_event_feed.hpp"

#include <algorithm>
#include <utility>

namespace sg::runs {

void RunEventFeed::open(const std::string& run_id, std::int64_t last_seq) {
  std::vector<Waiter> ready;
  {
    std::lock_guard lock(mu_);
    Run& run = runs_[run_id];
    run.open = true;
    run.last_seq = last_seq;
    auto split = std::partition(run.waiters.begin(), run.waiters.end(),
                                [&](const Waiter& w) { return w.after_seq >= run.last_seq; });
    ready.assign(std::make_move_iterator(split), std::make_move_iterator(run.waiters.end()));
    run.waiters.erase(split, run.waiters.end());
  }
  for (Waiter& w : ready)
    w.wake();
}

void RunEventFeed::published(const std::string& run_id, std::int64_t last_seq) {
  std::vector<Waiter> ready;
  {
    std::lock_guard lock(mu_);
    auto it = runs_.find(run_id);
    if (it == runs_.end()) return;
    Run& run = it->second;
    run.last_seq = std::max(run.last_seq, last_seq);
    auto split = std::partition(run.waiters.begin(), run.waiters.end(),
                                [&](const Waiter& w) { return w.after_seq >= run.last_seq; });
    ready.assign(std::make_move_iterator(split), std::make_move_iterator(run.waiters.end()));
    run.waiters.erase(split, run.waiters.end());
  }
  for (Waiter& w : ready)
    w.wake();
}

void RunEventFeed::close(const std::string& run_id) {
  std::vector<Waiter> ready;
  {
    std::lock_guard lock(mu_);
    auto it = runs_.find(run_id);
    if (it == runs_.end()) return;
    ready = std::move(it->second.waiters);
    runs_.erase(it);
  }
  for (Waiter& w : ready)
    w.wake();
}

std::uint64_t RunEventFeed::wait(const std::string& run_id, std::int64_t after_seq, Wake wake) {
  {
    std::lock_guard lock(mu_);
    Run& run = runs_[run_id];
    if (run.last_seq <= after_seq) {
      std::uint64_t ticket = next_ticket_++;
      run.waiters.push_back(Waiter{ticket, after_seq, std::move(wake)});
      return ticket;
    }
  }
  wake();
  return 0;
}

void RunEventFeed::forget(const std::string& run_id, std::uint64_t ticket) {
  std::lock_guard lock(mu_);
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return;
  std::erase_if(it->second.waiters, [&](const Waiter& w) { return w.ticket == ticket; });
  if (!it->second.open && it->second.waiters.empty()) runs_.erase(it);
}

std::size_t RunEventFeed::waiting() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [id, run] : runs_)
    n += run.waiters.size();
  return n;
}

}  // namespace sg::runs
