// SyncWorker: finishers are called in the order they were added, with the outcome of a sync that
// began after they were added; one sync serves every finisher waiting when it begins; a failed
// sync answers its own finishers only; drain(), wait_until_fewer_than() and the destructor wait for
// what was added. The store's sync waits at a gate the test opens.
#include "audit/sync_worker.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/forwarding_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::audit {
namespace {

using store::testing::TempDir;

// A Store whose sync_audit counts its calls, waits at a gate while it is closed, and fails when
// told to.
class GatedSync final : public store::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  void close_gate() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void open_gate() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  // Waits until a sync is held at the closed gate.
  void wait_for_held_sync() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return held_; });
  }
  void fail_next_sync() {
    std::lock_guard lock(mu_);
    fail_next_ = true;
  }
  int syncs() {
    std::lock_guard lock(mu_);
    return syncs_;
  }

  Status sync_audit() override {
    std::unique_lock lock(mu_);
    ++syncs_;
    held_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    held_ = false;
    if (fail_next_) {
      fail_next_ = false;
      return make_error(Errc::kStoreUnavailable, "sqlite: cannot sync the write-ahead log: EIO");
    }
    return {};
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
  bool held_ = false;
  bool fail_next_ = false;
  int syncs_ = 0;
};

// What the finishers saw, in the order they were called: "<name>:ok" or "<name>:<error>".
class Journal {
 public:
  SyncWorker::Finisher finisher(std::string name) {
    return [this, name = std::move(name)](const Status& s) {
      std::lock_guard lock(mu_);
      seen_.push_back(name + ":" + (s ? std::string("ok") : s.error().message));
    };
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> seen_;
};

class SyncWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::open({.path = dir_.file("stackgate.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    sqlite_ = std::move(opened).value();
    store_ = std::make_unique<GatedSync>(*sqlite_);
  }

  TempDir dir_;
  std::unique_ptr<store::SqliteStore> sqlite_;
  std::unique_ptr<GatedSync> store_;
  Journal journal_;
};

TEST_F(SyncWorkerTest, OneSyncServesEveryFinisherWaitingWhenItBegins) {
  SyncWorker worker(*store_);
  store_->close_gate();
  worker.add(journal_.finisher("a"));
  store_->wait_for_held_sync();  // the sync for "a" has begun
  worker.add(journal_.finisher("b"));
  worker.add(journal_.finisher("c"));
  worker.add(journal_.finisher("d"));
  EXPECT_TRUE(journal_.seen().empty());
  store_->open_gate();
  worker.drain();
  EXPECT_EQ(journal_.seen(), (std::vector<std::string>{"a:ok", "b:ok", "c:ok", "d:ok"}));
  EXPECT_EQ(store_->syncs(), 2);
}

TEST_F(SyncWorkerTest, AFailedSyncAnswersItsOwnFinishersOnly) {
  SyncWorker worker(*store_);
  store_->close_gate();
  store_->fail_next_sync();
  worker.add(journal_.finisher("a"));
  store_->wait_for_held_sync();
  worker.add(journal_.finisher("b"));
  store_->open_gate();
  worker.drain();
  EXPECT_EQ(journal_.seen(),
            (std::vector<std::string>{"a:sqlite: cannot sync the write-ahead log: EIO", "b:ok"}));
}

TEST_F(SyncWorkerTest, WaitUntilFewerThanWaitsForFinishersToBeCalled) {
  SyncWorker worker(*store_);
  store_->close_gate();
  worker.add(journal_.finisher("a"));
  store_->wait_for_held_sync();
  worker.add(journal_.finisher("b"));
  worker.wait_until_fewer_than(3);  // two are waiting: returns at once
  std::thread opener([&] {
    store_->wait_for_held_sync();
    store_->open_gate();
  });
  worker.wait_until_fewer_than(1);
  EXPECT_EQ(journal_.seen(), (std::vector<std::string>{"a:ok", "b:ok"}));
  opener.join();
}

TEST_F(SyncWorkerTest, TheDestructorFinishesWhatWasAdded) {
  {
    SyncWorker worker(*store_);
    store_->close_gate();
    worker.add(journal_.finisher("a"));
    store_->wait_for_held_sync();
    worker.add(journal_.finisher("b"));
    store_->open_gate();
  }
  EXPECT_EQ(journal_.seen(), (std::vector<std::string>{"a:ok", "b:ok"}));
}

TEST_F(SyncWorkerTest, DrainWithNothingAddedReturnsAtOnce) {
  SyncWorker worker(*store_);
  worker.drain();
  EXPECT_EQ(store_->syncs(), 0);
}

}  // namespace
}  // namespace sg::audit
