// PolicyHolder keeps the policy in force and what happened at the last reload.
//
// Request handlers take current() — a shared immutable Policy — and evaluate against it; a reload
// swaps in a whole new Policy at once, so a request sees either the old policy or the new one,
// never a mix. A failed reload leaves the policy in force untouched and is remembered (first error,
// count, time) for /readyz, /metrics and logs. The holder does no I/O: app/policy_reloader.hpp
// reads files and calls it. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.hpp"
#include "policy/policy.hpp"

namespace sg::policy {

class PolicyHolder {
 public:
  // `configured`: whether a policy file is configured at all (otherwise `initial` is the empty
  // policy that denies everything).
  PolicyHolder(std::shared_ptr<const Policy> initial, bool configured, Time loaded_at);

  std::shared_ptr<const Policy> current() const;

  // A reload succeeded: `next` is in force from now on.
  void replace(std::shared_ptr<const Policy> next, Time at);
  // A reload failed; `error` is the first diagnostic (or a summary), fit for logs and /readyz.
  void record_failure(std::string error, Time at);

  struct Status {
    bool configured = false;
    std::uint64_t generation = 1;  // 1 for the policy loaded at start, +1 per successful reload
    Time loaded_at{};              // when the policy in force was loaded
    bool last_reload_failed = false;
    std::string last_error;  // of the last failed reload, if the last reload failed
    Time last_failure_at{};
    std::uint64_t reloads = 0;   // successful reloads since start
    std::uint64_t failures = 0;  // failed reloads since start
    std::size_t roles = 0;
    std::size_t rules = 0;
    std::size_t bindings = 0;
  };
  Status status() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Policy> current_;
  Status status_;
};

// The policy of an installation without a policy file: no roles, so every decision is deny.
std::shared_ptr<const Policy> empty_policy();

}  // namespace sg::policy
