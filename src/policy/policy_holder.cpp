#include "policy/policy_holder.hpp"

namespace sg::policy {
namespace {

void count(const Policy& p, PolicyHolder::Status& s) {
  s.roles = p.roles().size();
  s.rules = p.rule_count();
  s.bindings = p.bindings().size();
}

}  // namespace

PolicyHolder::PolicyHolder(std::shared_ptr<const Policy> initial, bool configured, Time loaded_at)
    : current_(std::move(initial)) {
  status_.configured = configured;
  status_.loaded_at = loaded_at;
  count(*current_, status_);
}

std::shared_ptr<const Policy> PolicyHolder::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void PolicyHolder::replace(std::shared_ptr<const Policy> next, Time at) {
  std::shared_ptr<const Policy> old;
  std::lock_guard lock(mutex_);
  old = std::exchange(current_, std::move(next));  // released after the lock, see below
  ++status_.generation;
  ++status_.reloads;
  status_.loaded_at = at;
  status_.last_reload_failed = false;
  status_.last_error.clear();
  count(*current_, status_);
}

void PolicyHolder::record_failure(std::string error, Time at) {
  std::lock_guard lock(mutex_);
  ++status_.failures;
  status_.last_reload_failed = true;
  status_.last_error = std::move(error);
  status_.last_failure_at = at;
}

PolicyHolder::Status PolicyHolder::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::shared_ptr<const Policy> empty_policy() {
  return std::make_shared<const Policy>("<none>", std::vector<Role>{}, std::vector<Binding>{});
}

}  // namespace sg::policy
