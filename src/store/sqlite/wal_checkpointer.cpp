#include "store/sqlite/wal_checkpointer.hpp"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite/statement.hpp"

namespace sg::store {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::string& path,
                                                                Duration busy_timeout,
                                                                Options options) {
  Result<Connection> db = open_connection(path, SQLITE_OPEN_READWRITE, busy_timeout);
  if (!db) return db.error();
  // A checkpoint syncs the WAL before it copies and the database file after, unless synchronous
  // is OFF; say so rather than rely on the library's default.
  Result<Statement> full =
      Statement::prepare(db->get(), "PRAGMA synchronous=FULL", "wal_checkpointer");
  if (!full) return full.error();
  if (Status s = full->run(); !s) return s.error();
  // Asking for the journal mode reads the database, which opens its WAL on this connection: until
  // then a checkpoint here would find nothing to do.
  Result<Statement> mode = Statement::prepare(db->get(), "PRAGMA journal_mode", "wal_checkpointer");
  if (!mode) return mode.error();
  Result<bool> row = mode->step();
  if (!row) return row.error();
  const std::string answer = *row ? mode->column_text(0) : std::string();
  if (answer != "wal") {
    return make_error(
        Errc::kStoreUnavailable,
        "wal_checkpointer: the database is in journal mode \"" + answer + "\", not WAL");
  }
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(*db), options));
}

WalCheckpointer::WalCheckpointer(Connection db, Options options)
    : db_(std::move(db)), options_(options), thread_([this] { run(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool WalCheckpointer::committed(int wal_pages) {
  if (wal_pages >= options_.limit_pages) return true;
  if (wal_pages >= options_.threshold_pages) {
    {
      std::lock_guard lock(mu_);
      wanted_ = true;
    }
    cv_.notify_all();
  }
  return false;
}

void WalCheckpointer::drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return (!wanted_ && !running_) || stopping_; });
}

WalCheckpointer::Stats WalCheckpointer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void WalCheckpointer::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    running_ = true;
    lock.unlock();
    int wal_frames = 0;
    int copied_frames = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_.get(), "main", SQLITE_CHECKPOINT_PASSIVE,
                                             &wal_frames, &copied_frames);
    lock.lock();
    running_ = false;
    if (rc == SQLITE_OK) {
      stats_.checkpoints += 1;
      stats_.wal_frames = wal_frames;
      stats_.copied_frames = copied_frames;
    } else if ((rc & 0xff) != SQLITE_BUSY) {
      stats_.failures += 1;
    }
    cv_.notify_all();
  }
}

}  // namespace sg::store
