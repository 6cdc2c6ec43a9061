// WalCheckpointer copies the SQLite store's write-ahead log back into the database file on a
// thread and a connection of its own, so that no commit waits for a checkpoint.
//
// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit (an
// audit batch, with requests waiting for their answers behind it) waits while the WAL's pages are
// read, written into the database file and fsynced. Instead, the store's connection reports the
// WAL's size after every commit (committed(), called from SQLite's WAL hook), and from
// `threshold_pages` on this thread runs a PASSIVE checkpoint: it copies the pages no reader still
// needs, takes no lock a writer waits for and never waits itself. SQLite syncs the WAL before and
// the database file after each checkpoint, and the store's connection starts the WAL again from
// its beginning once everything in it has been copied.
//
// Backstop: if the WAL reaches `limit_pages` anyway (this thread fell behind, or its checkpoints
// fail), committed() says so and the store checkpoints on its own connection, as SQLite would
// have. A checkpoint that fails loses nothing (the pages stay in the WAL); it is counted and tried
// again after a later commit.
//
// Owned by SqliteStore. committed(), drain() and stats() are thread-safe; the destructor waits for
// a checkpoint in progress, then closes the connection.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "store/sqlite/connection.hpp"

namespace sg::store {

class WalCheckpointer {
 public:
  struct Options {
    int threshold_pages = 4000;  // 64 MiB of 16 KiB pages
    int limit_pages = 16000;     // the WAL size at which the committing connection steps in
  };

  struct Stats {
    std::uint64_t checkpoints = 0;  // completed by the thread
    std::uint64_t failures = 0;  // failed with an error (SQLITE_BUSY from a concurrent one is not)
    int wal_frames = 0;          // the WAL's size in frames at the last completed checkpoint
    int copied_frames = 0;       // of which copied into the database file by then
  };

  // Opens a read-write connection to the database at `path` (which must exist and be in WAL
  // mode) and starts the thread. Errors: kStoreUnavailable.
  static Result<std::unique_ptr<WalCheckpointer>> start(const std::string& path,
                                                        Duration busy_timeout, Options options);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // After a commit that left `wal_pages` pages in the WAL: wakes the thread from the threshold on.
  // True when the WAL has reached the limit and the caller should checkpoint itself.
  bool committed(int wal_pages);

  // Returns once no checkpoint is wanted or running.
  void drain();

  Stats stats() const;

 private:
  WalCheckpointer(Connection db, Options options);
  void run();

  Connection db_;  // used by the thread only
  const Options options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;    // guarded by mu_
  bool running_ = false;   // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  Stats stats_;            // guarded by mu_
  std::thread thread_;     // started last, by the constructor
};

}  // namespace sg::store
