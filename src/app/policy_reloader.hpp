// PolicyReloader loads the policy file again when asked (SIGHUP) or when the file changes, and
// hands a good new policy to the PolicyHolder; a broken one is refused and the old one stays.
//
// Changes are noticed by polling the file's identity (device, inode, size, modification time)
// every `poll` — which also catches the symlink swap Kubernetes does for a mounted ConfigMap — so
// no inotify watch can be lost. Each outcome is logged: success with the new generation and rule
// count; failure with every diagnostic (file:line:column: message). Each reload, good or refused,
// is also handed to `record` as a `policy.reloaded` audit event (when set). Owned by the App;
// reload() may be called from any thread (calls are serialised); the polling thread stops on
// destruction.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "audit/event.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/logger.hpp"
#include "policy/policy_holder.hpp"

namespace sg::app {

class PolicyReloader {
 public:
  using Recorder = std::function<void(audit::AuditEvent)>;

  PolicyReloader(std::string path, policy::PolicyHolder& holder, Logger& log, const Clock& clock,
                 Duration poll, Recorder record = {});
  ~PolicyReloader();
  PolicyReloader(const PolicyReloader&) = delete;
  PolicyReloader& operator=(const PolicyReloader&) = delete;

  // Starts watching the file for changes.
  void start();

  // Loads the file now; `why` ("SIGHUP", "file changed") goes into the log line. Returns whether
  // the new policy is in force.
  bool reload(std::string_view why);

 private:
  struct FileStamp {
    bool exists = false;
    unsigned long long device = 0, inode = 0, size = 0;
    long long mtime_ns = 0;
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
  };
  FileStamp stamp() const;
  void watch();

  std::string path_;
  policy::PolicyHolder& holder_;
  Logger& log_;
  const Clock& clock_;
  Duration poll_;
  Recorder record_;

  std::mutex reload_mutex_;  // one reload at a time
  FileStamp last_;           // guarded by reload_mutex_

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace sg::app
