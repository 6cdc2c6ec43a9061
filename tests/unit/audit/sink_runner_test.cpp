// SinkRunner over a real SQLite store in a temporary folder, with scripted sinks: order, retries,
// buffer overflow and catch-up from the store, the durable cursor across restarts, stop().
#include "audit/sink_runner.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <numeric>
#include <sstream>
#include <thread>

#include "audit/stdout_sink.hpp"
#include "audit/webhook_sink.hpp"
#include "audit_test_support.hpp"
#include "sink_test_support.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::audit {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using test::eventually;
using test::FakeSink;
using test::SinkScript;
using Seqs = std::vector<std::int64_t>;

// from, from + 1, …, to.
Seqs seqs(std::int64_t from, std::int64_t to) {
  Seqs out(static_cast<std::size_t>(to - from + 1));
  std::iota(out.begin(), out.end(), from);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

class SinkRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::open({.path = dir_.file("stackgate.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    sqlite_ = std::move(opened).value();
    store_ = std::make_unique<test::FlakyStore>(*sqlite_);
  }

  // A runner over a FakeSink driven by `script`.
  std::unique_ptr<SinkRunner> runner(std::shared_ptr<SinkScript> script, bool durable,
                                     SinkRunner::Options options = fast()) {
    return std::make_unique<SinkRunner>(std::make_unique<FakeSink>(std::move(script), durable),
                                        *store_, std::move(options), log_);
  }
  static SinkRunner::Options fast() {
    SinkRunner::Options o;
    o.min_backoff = milliseconds(1);
    o.max_backoff = milliseconds(4);
    return o;
  }

  // Stores events from..to of the test chain, as the writer does, without telling any runner.
  void store_events(std::int64_t from, std::int64_t to) {
    const std::span<const store::AuditRecord> all(chain_);
    const store::AuditHead after{from - 1, from > 1 ? chain_[from - 2].hash : ""};
    ASSERT_TRUE(store_
                    ->append_audit(after, all.subspan(static_cast<std::size_t>(from - 1),
                                                      static_cast<std::size_t>(to - from + 1)))
                    .ok());
  }
  // Stores events from..to and tells `runner` about them in one call, as the writer does.
  void commit(SinkRunner& runner, std::int64_t from, std::int64_t to) {
    store_events(from, to);
    runner.committed(std::span<const store::AuditRecord>(chain_).subspan(
        static_cast<std::size_t>(from - 1), static_cast<std::size_t>(to - from + 1)));
  }
  std::optional<std::string> cursor(const std::string& key = "audit.sink.fake.seq") {
    auto v = sqlite_->get_meta(key);
    EXPECT_TRUE(v.ok());
    return *v;
  }
  std::string log_text() {
    log_.flush();
    return read_file(log_path_);
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::SqliteStore> sqlite_;
  std::unique_ptr<test::FlakyStore> store_;
  const std::vector<store::AuditRecord> chain_ = test::records_of(test::sealed_chain(40));
  const std::string log_path_ = dir_.file("log.jsonl");
  struct LogFile {
    int fd;
    ~LogFile() { ::close(fd); }
  } log_file_{::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)};
  Logger log_{log_file_.fd, LogLevel::kInfo, hours(1)};
  std::shared_ptr<SinkScript> script_ = std::make_shared<SinkScript>();
};

TEST_F(SinkRunnerTest, DeliversCommittedEventsInOrderInBatches) {
  SinkRunner::Options o = fast();
  o.batch = 3;
  auto r = runner(script_, false, o);
  ASSERT_TRUE(r->start(0).ok());
  commit(*r, 1, 7);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 7; }));
  EXPECT_EQ(script_->attempts_copy(), (std::vector<Seqs>{{1, 2, 3}, {4, 5, 6}, {7}}));
  commit(*r, 8, 8);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 8; }));
  EXPECT_EQ(script_->delivered_copy(), seqs(1, 8));
  ASSERT_TRUE(eventually([&] { return r->state().delivered_seq == 8; }));
  const SinkState s = r->state();
  EXPECT_EQ(s.committed_seq, 8);
  EXPECT_EQ(s.failures, 0u);
  EXPECT_FALSE(s.failing);
  EXPECT_TRUE(s.running);
  r->stop();
  EXPECT_FALSE(r->state().running);
}

TEST_F(SinkRunnerTest, ANonDurableSinkStartsAfterTheHeadAndKeepsNoCursor) {
  store_events(1, 5);
  auto r = runner(script_, false);
  ASSERT_TRUE(r->start(5).ok());
  commit(*r, 6, 7);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 2; }));
  r->stop();
  EXPECT_EQ(script_->delivered_copy(), seqs(6, 7));
  EXPECT_EQ(cursor(), std::nullopt);
}

TEST_F(SinkRunnerTest, EventsAtOrBeforeTheCursorAreSkipped) {
  store_events(1, 3);
  auto r = runner(script_, false);
  ASSERT_TRUE(r->start(3).ok());
  r->committed(std::span<const store::AuditRecord>(chain_).subspan(0, 3));  // 1..3 again
  commit(*r, 4, 5);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 2; }));
  r->stop();
  EXPECT_EQ(script_->attempts_copy(), (std::vector<Seqs>{{4, 5}}));
}

TEST_F(SinkRunnerTest, AFailingSinkGetsTheSameEventsAgainAndLosesNone) {
  auto r = runner(script_, true);
  ASSERT_TRUE(r->start(0).ok());
  script_->allow(0);
  script_->results = {make_error(Errc::kIo, "disk full"), make_error(Errc::kIo, "disk full")};
  commit(*r, 1, 3);
  ASSERT_TRUE(script_->wait_until([&] { return script_->attempts.size() == 1; }));
  commit(*r, 4, 6);  // arrives while the first attempt is under way
  script_->allow(-1);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 6; }));
  r->stop();
  EXPECT_EQ(script_->attempts_copy(),
            (std::vector<Seqs>{{1, 2, 3}, {1, 2, 3}, {1, 2, 3}, {4, 5, 6}}));
  EXPECT_EQ(script_->delivered_copy(), seqs(1, 6));
  const SinkState s = r->state();
  EXPECT_EQ(s.delivered_seq, 6);
  EXPECT_EQ(s.failures, 2u);
  EXPECT_FALSE(s.failing);
  EXPECT_EQ(s.backoff, milliseconds(0));
  EXPECT_EQ(s.last_error, "disk full");
  EXPECT_EQ(cursor(), "6");
}

TEST_F(SinkRunnerTest, LogsTheFirstFailureOfAStreakAndTheRecoveryOnce) {
  auto r = runner(script_, true);
  script_->results = {make_error(Errc::kIo, "disk full"), make_error(Errc::kIo, "disk full"),
                      make_error(Errc::kIo, "disk full")};
  ASSERT_TRUE(r->start(0).ok());
  commit(*r, 1, 2);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 2; }));
  r->stop();
  const std::string log = log_text();
  EXPECT_EQ(count(log, "\"level\":\"warn\""), 1u) << log;
  EXPECT_EQ(count(log,
                  "\"msg\":\"audit sink delivery failed; retrying with back-off\","
                  "\"sink\":\"fake\",\"error\":\"disk full\",\"after_seq\":0,"
                  "\"backoff_ms\":1}"),
            1u)
      << log;
  EXPECT_EQ(count(log,
                  "\"msg\":\"audit sink delivering again\",\"sink\":\"fake\","
                  "\"failed_attempts\":3,\"delivered_seq\":2}"),
            1u)
      << log;
}

TEST_F(SinkRunnerTest, TheWebhookTokenNeverReachesTheLogOrTheState) {
  struct Refusing final : HttpPoster {
    Result<HttpReply> post(const std::string&, std::string_view, std::string_view,
                           const HttpHeaders&, milliseconds) override {
      return HttpReply{++calls < 3 ? 401 : 200, "", false};
    }
    std::atomic<int> calls{0};
  };
  WebhookSink::Options w;
  w.url = "https://siem.example.com/in?key=query-secret";
  w.token = "token-secret";
  auto sink = std::make_unique<WebhookSink>(w, std::make_unique<Refusing>());
  SinkRunner r(std::move(sink), *store_, fast(), log_);
  ASSERT_TRUE(r.start(0).ok());
  commit(r, 1, 2);
  ASSERT_TRUE(eventually([&] { return r.state().delivered_seq == 2; }));
  EXPECT_EQ(r.state().last_error,
            "audit sink webhook:https://siem.example.com/in: events 1..2: the endpoint answered "
            "401");
  r.stop();
  const std::string log = log_text();
  EXPECT_NE(log.find("the endpoint answered 401"), std::string::npos) << log;
  EXPECT_EQ(log.find("token-secret"), std::string::npos) << log;
  EXPECT_EQ(log.find("query-secret"), std::string::npos) << log;
  EXPECT_EQ(cursor("audit.sink.webhook:https://siem.example.com/in.seq"), "2");
}

TEST_F(SinkRunnerTest, AFullBufferIsDroppedAndTheRunnerCatchesUpFromTheStore) {
  SinkRunner::Options o = fast();
  o.batch = 3;
  o.buffer = 4;
  auto r = runner(script_, true, o);
  ASSERT_TRUE(r->start(0).ok());
  script_->allow(0);
  commit(*r, 1, 3);
  ASSERT_TRUE(script_->wait_until([&] { return script_->attempts.size() == 1; }));
  for (int seq = 4; seq <= 20; ++seq)
    commit(*r, seq, seq);  // 4..7 fill the buffer; 8 overflows it
  EXPECT_EQ(r->state().overflows, 1u);
  EXPECT_EQ(r->state().committed_seq, 20);
  const int reads_before = store_->reads.load();
  script_->allow(-1);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 20; }));
  ASSERT_TRUE(eventually([&] { return r->state().delivered_seq == 20; }));
  EXPECT_EQ(store_->reads.load() - reads_before, 6);  // 4..6, 7..9, …, 19..20
  commit(*r, 21, 22);                                 // caught up: buffered again
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 22; }));
  r->stop();
  EXPECT_EQ(store_->reads.load() - reads_before, 6);
  EXPECT_EQ(script_->delivered_copy(), seqs(1, 22));
  for (const Seqs& attempt : script_->attempts_copy())
    EXPECT_LE(attempt.size(), 3u);
  EXPECT_EQ(r->state().overflows, 1u);
}

TEST_F(SinkRunnerTest, ADurableSinkResumesAfterItsCursorWhenStartedAgain) {
  auto first = runner(script_, true);
  ASSERT_TRUE(first->start(0).ok());
  EXPECT_EQ(cursor(), "0");
  commit(*first, 1, 5);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 5; }));
  first->stop();
  EXPECT_EQ(cursor(), "5");
  store_events(6, 8);  // written while this sink was not running

  auto again = std::make_shared<SinkScript>();
  again->permits = 0;
  auto second = runner(again, true);
  ASSERT_TRUE(second->start(8).ok());
  ASSERT_TRUE(again->wait_until([&] { return again->attempts.size() == 1; }));
  commit(*second, 9, 10);  // while 6..8 are being delivered
  again->allow(-1);
  ASSERT_TRUE(again->wait_until([&] { return again->delivered.size() == 5; }));
  second->stop();
  EXPECT_EQ(again->attempts_copy(), (std::vector<Seqs>{{6, 7, 8}, {9, 10}}));
  EXPECT_EQ(cursor(), "10");
}

TEST_F(SinkRunnerTest, TheStoreReadEndsWhereTheBufferBegins) {
  store_events(1, 10);
  ASSERT_TRUE(sqlite_->put_meta("audit.sink.fake.seq", "5").ok());
  auto r = runner(script_, true);
  commit(*r, 11, 12);  // before start: buffered
  ASSERT_TRUE(r->start(10).ok());
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 7; }));
  r->stop();
  EXPECT_EQ(script_->attempts_copy(), (std::vector<Seqs>{{6, 7, 8, 9, 10}, {11, 12}}));
  EXPECT_EQ(cursor(), "12");
}

TEST_F(SinkRunnerTest, AFirstStartStoresTheHeadAsTheCursor) {
  store_events(1, 5);
  auto r = runner(script_, true);
  ASSERT_TRUE(r->start(5).ok());
  EXPECT_EQ(cursor(), "5");
  commit(*r, 6, 6);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 1; }));
  r->stop();
  EXPECT_EQ(script_->delivered_copy(), seqs(6, 6));
}

TEST_F(SinkRunnerTest, ACursorBeyondTheHeadIsBroughtBackToIt) {
  store_events(1, 5);
  ASSERT_TRUE(sqlite_->put_meta("audit.sink.fake.seq", "50").ok());
  auto r = runner(script_, true);
  ASSERT_TRUE(r->start(5).ok());
  commit(*r, 6, 6);
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 1; }));
  r->stop();
  EXPECT_EQ(script_->delivered_copy(), seqs(6, 6));
  EXPECT_EQ(cursor(), "6");
  EXPECT_NE(log_text().find("\"msg\":\"audit sink cursor is beyond the stored log; continuing "
                            "from its head\",\"sink\":\"fake\",\"cursor\":50,\"head\":5}"),
            std::string::npos);
}

TEST_F(SinkRunnerTest, AMalformedStoredCursorStopsTheStart) {
  ASSERT_TRUE(sqlite_->put_meta("audit.sink.fake.seq", "12x").ok());
  auto r = runner(script_, true);
  Status s = r->start(0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kInternal);
  EXPECT_EQ(s.error().message,
            "audit sink fake: the stored cursor audit.sink.fake.seq is not a seq");
  EXPECT_FALSE(r->state().running);
}

TEST_F(SinkRunnerTest, AnUnavailableStoreStopsTheStartOfADurableSink) {
  store_->failing_gets = true;
  auto r = runner(script_, true);
  Status s = r->start(0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kStoreUnavailable);
  store_->failing_gets = false;
  store_->failing_puts = 1;
  s = r->start(0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kStoreUnavailable);
}

TEST_F(SinkRunnerTest, StartingTwiceIsRefused) {
  auto r = runner(script_, false);
  ASSERT_TRUE(r->start(0).ok());
  Status s = r->start(0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kInternal);
  EXPECT_EQ(s.error().message, "audit sink fake: started twice");
}

TEST_F(SinkRunnerTest, AFailedStoreReadIsRetriedWithBackOff) {
  store_events(1, 4);
  ASSERT_TRUE(sqlite_->put_meta("audit.sink.fake.seq", "0").ok());
  store_->failing_reads = 2;
  auto r = runner(script_, true);
  ASSERT_TRUE(r->start(4).ok());
  ASSERT_TRUE(script_->wait_until([&] { return script_->delivered.size() == 4; }));
  ASSERT_TRUE(eventually([&] { return r->state().delivered_seq == 4; }));
  r->stop();
  EXPECT_EQ(script_->attempts_copy(), (std::vector<Seqs>{{1, 2, 3, 4}}));
  const SinkState s = r->state();
  EXPECT_EQ(s.failures, 2u);
  EXPECT_FALSE(s.failing);
  EXPECT_EQ(s.last_error, "read_audit: database is locked");
}

TEST_F(SinkRunnerTest, AFailedCursorWriteOnlyMeansRedeliveryAfterARestart) {
  auto r = runner(script_, true);
  ASSERT_TRUE(r->start(0).ok());
  store_->failing_puts = 1;
  commit(*r, 1, 2);
  ASSERT_TRUE(eventually([&] { return r->state().delivered_seq == 2; }));
  EXPECT_EQ(cursor(), "0");
  commit(*r, 3, 3);
  ASSERT_TRUE(eventually([&] { return r->state().delivered_seq == 3; }));
  r->stop();
  EXPECT_EQ(cursor(), "3");
  EXPECT_EQ(r->state().failures, 0u);
  const std::string log = log_text();
  EXPECT_EQ(count(log, "audit sink cannot store its cursor"), 1u) << log;
  EXPECT_EQ(count(log, "audit sink stores its cursor again"), 1u) << log;
}

TEST_F(SinkRunnerTest, StopDeliversWhatIsPendingWithinTheGrace) {
  auto r = runner(script_, true);
  ASSERT_TRUE(r->start(0).ok());
  script_->allow(0);
  commit(*r, 1, 3);
  ASSERT_TRUE(script_->wait_until([&] { return script_->attempts.size() == 1; }));
  commit(*r, 4, 5);
  std::thread stopper([&] { r->stop(hours(1)); });
  script_->allow(-1);
  stopper.join();
  EXPECT_EQ(script_->delivered_copy(), seqs(1, 5));
  EXPECT_EQ(cursor(), "5");
  EXPECT_FALSE(r->state().running);
}

TEST_F(SinkRunnerTest, StopCutsTheBackOffShortAndGivesUp) {
  SinkRunner::Options o = fast();
  o.min_backoff = hours(1);
  o.max_backoff = hours(2);
  auto r = runner(script_, true, o);
  script_->always_fail = true;
  ASSERT_TRUE(r->start(0).ok());
  commit(*r, 1, 3);
  ASSERT_TRUE(eventually([&] { return r->state().failures == 1; }));
  SinkState s = r->state();
  EXPECT_TRUE(s.failing);
  EXPECT_EQ(s.backoff, hours(1));
  EXPECT_EQ(s.last_error, "fake sink is down");
  r->stop(milliseconds(0));
  s = r->state();
  EXPECT_FALSE(s.running);
  EXPECT_EQ(s.failures, 1u);
  EXPECT_EQ(s.delivered_seq, 0);
  EXPECT_EQ(cursor(), "0");  // re-delivered from the store at the next start
}

TEST_F(SinkRunnerTest, StopGivesUpOnASinkThatKeepsFailingWhenTheGraceRunsOut) {
  auto r = runner(script_, true);
  script_->always_fail = true;
  ASSERT_TRUE(r->start(0).ok());
  commit(*r, 1, 3);
  ASSERT_TRUE(eventually([&] { return r->state().failures >= 2; }));
  r->stop(milliseconds(20));
  EXPECT_FALSE(r->state().running);
  EXPECT_EQ(r->state().delivered_seq, 0);
  EXPECT_TRUE(script_->delivered_copy().empty());
}

TEST_F(SinkRunnerTest, ReopenReachesTheSink) {
  auto r = runner(script_, true);
  r->reopen();
  ASSERT_TRUE(r->start(0).ok());
  r->reopen();
  std::lock_guard lock(script_->mu);
  EXPECT_EQ(script_->reopened, 2);
}

TEST_F(SinkRunnerTest, AClosedStdoutPipeIsAnErrorNotTheEndOfTheProcess) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  ::close(fds[0]);
  SinkRunner r(std::make_unique<StdoutSink>(fds[1]), *store_, fast(), log_);
  ASSERT_TRUE(r.start(0).ok());
  commit(r, 1, 1);
  ASSERT_TRUE(eventually([&] { return r.state().failures >= 1; }));
  r.stop(milliseconds(0));
  ::close(fds[1]);
  EXPECT_EQ(r.state().last_error, "audit sink stdout: write failed: Broken pipe");
}

TEST(SinkRunnerOptions, BackOffDoublesFromTheMinimumUpToTheMaximum) {
  SinkRunner::Options o;
  o.min_backoff = milliseconds(100);
  o.max_backoff = milliseconds(1000);
  milliseconds b{0};
  std::vector<milliseconds> seen;
  for (int i = 0; i < 6; ++i)
    seen.push_back(b = next_backoff(b, o));
  EXPECT_EQ(seen,
            (std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400),
                                       milliseconds(800), milliseconds(1000), milliseconds(1000)}));
}

TEST(SinkRunnerOptions, TheCursorKeyIsBuiltFromTheSinkName) {
  EXPECT_EQ(sink_cursor_key("file:/var/log/audit.jsonl"),
            "audit.sink.file:/var/log/audit.jsonl.seq");
}

}  // namespace
}  // namespace sg::audit
