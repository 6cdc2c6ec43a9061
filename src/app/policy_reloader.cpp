#include "app/policy_reloader.hpp"

#include <sys/stat.h>

#include "policy/policy_loader.hpp"

namespace sg::app {

PolicyReloader::PolicyReloader(std::string path, policy::PolicyHolder& holder, Logger& log,
                               const Clock& clock, Duration poll, Recorder record)
    : path_(std::move(path)),
      holder_(holder),
      log_(log),
      clock_(clock),
      poll_(poll),
      record_(std::move(record)) {
  last_ = stamp();  // the file as it was when the policy in force was loaded
}

PolicyReloader::~PolicyReloader() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void PolicyReloader::start() {
  watcher_ = std::thread([this] { watch(); });
}

PolicyReloader::FileStamp PolicyReloader::stamp() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return {};
  return FileStamp{
      true, static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino),
      static_cast<unsigned long long>(st.st_size),
      static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

void PolicyReloader::watch() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_for(lock, poll_, [this] { return stopping_; })) {
    lock.unlock();
    FileStamp now = stamp();
    bool changed = false;
    {
      std::lock_guard guard(reload_mutex_);
      changed = now.exists && now != last_;
    }
    if (changed) reload("file changed");
    lock.lock();
  }
}

bool PolicyReloader::reload(std::string_view why) {
  std::lock_guard guard(reload_mutex_);
  last_ = stamp();
  policy::PolicyLoadResult loaded = policy::load_policy_file(path_);
  Time now = clock_.now();
  if (loaded.policy) {
    const policy::Policy& p = *loaded.policy;
    holder_.replace(loaded.policy, now);
    log_.info("policy reloaded", {{"reason", why},
                                  {"generation", holder_.status().generation},
                                  {"roles", p.roles().size()},
                                  {"rules", p.rule_count()},
                                  {"bindings", p.bindings().size()}});
    if (record_) {
      audit::AuditEvent e;
      e.time = now;
      e.type = std::string(audit::event_type::kPolicyReloaded);
      e.details = {{"generation", holder_.status().generation},
                   {"trigger", std::string(why)},
                   {"outcome", "loaded"},
                   {"rules", p.rule_count()}};
      record_(std::move(e));
    }
    return true;
  }
  std::string first =
      loaded.diagnostics.empty() ? "unknown error" : loaded.diagnostics.front().to_string();
  holder_.record_failure(first, now);
  log_.error("policy reload refused; the previous policy stays in force",
             {{"reason", why}, {"errors", loaded.diagnostics.size()}, {"first_error", first}});
  for (const auto& d : loaded.diagnostics)
    log_.error("policy error", {{"diagnostic", d.to_string()}});
  if (record_) {
    audit::AuditEvent e;
    e.time = now;
    e.type = std::string(audit::event_type::kPolicyReloaded);
    e.reason = audit::clean_text(first, 1024);
    e.details = {{"generation", holder_.status().generation},
                 {"trigger", std::string(why)},
                 {"outcome", "refused"},
                 {"errors", loaded.diagnostics.size()}};
    record_(std::move(e));
  }
  return false;
}

}  // namespace sg::app
