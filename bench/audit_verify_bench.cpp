// Audit verification benchmark (issue 5): how fast a stored log verifies, repeated on one log so
// the figures can be compared run to run without the appends in between.
//
//   bench_audit_verify DIR [--events N] [--repeat R] [--page P] [--threads T] [--read R2]
//                          [--filters R3]
//
// DIR/audit.db is made once when it does not hold N events: N events like bench_audit's, sealed
// and appended through AuditStore::append in transactions of 5,000 with a checkpoint every 1,000
// events (as the writer signs them), on the disk of DIR. Then, R times each, in this order:
//
// read     every row read from the store in pages of P (Store::read_audit_into, one connection):
//          what SQLite costs alone
// verify   AuditStore::verify(keys, P): the figure bench/audit.sh reports as "verify from the
// store"
// filters  (R3 times, default 0: skipped) pages of 100 with GET /v1/audit's filters
//          (Store::read_audit): an actor with 1 event in 500, an actor nobody has, a stack, a
//          decision (the bucket walk); the absent actor again with `since` the middle of the log;
//          `since` the middle alone, and `until` the middle alone with the cursor past it (no
//          bucket walk); the median milliseconds a page and the rows it returned
//
// Each line gives events per second of wall time and microseconds of CPU time (every thread of
// the process) per event, so a run on a shared machine can be told from a slow one. Exits 1 if
// anything fails or the log does not verify. DIR is left in place for the next run.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "audit/audit_store.hpp"
#include "audit/checkpoint.hpp"
#include "audit/checkpoint_keys.hpp"
#include "audit/verify.hpp"
#include "audit_events.hpp"
#include "common/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace sg;
using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "bench_audit_verify: " << what << "\n";
  std::exit(1);
}

struct Args {
  std::filesystem::path dir;
  std::int64_t events = 200'000;
  int repeat = 5;
  int read_repeat = -1;  // as repeat
  int filter_repeat = 0;
  std::size_t page = 5000;
  unsigned threads = 0;
};

Args parse(int argc, char** argv) {
  if (argc < 2) {
    fail(
        "usage: bench_audit_verify DIR [--events N] [--repeat R] [--page P] [--threads T]"
        " [--read R2] [--filters R3]");
  }
  Args a;
  a.dir = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const auto v = std::stoll(argv[i + 1]);
    if (k == "--events") {
      a.events = v;
    } else if (k == "--repeat") {
      a.repeat = static_cast<int>(v);
    } else if (k == "--page") {
      a.page = static_cast<std::size_t>(v);
    } else if (k == "--threads") {
      a.threads = static_cast<unsigned>(v);
    } else if (k == "--read") {
      a.read_repeat = static_cast<int>(v);
    } else if (k == "--filters") {
      a.filter_repeat = static_cast<int>(v);
    } else {
      fail("unknown option " + k);
    }
  }
  return a;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Appends events until the log holds `n`, with a checkpoint every 1,000 events.
void fill(store::Store& db, audit::AuditStore& log, std::int64_t n) {
  auto key = audit::load_or_create_checkpoint_key(db, audit::kDefaultCheckpointAlgorithm,
                                                  SystemClock().now());
  if (!key) fail(key.error().message);
  auto head = log.head();
  if (!head) fail(head.error().message);
  audit::ChainHead at = *head;
  const Time t0 = SystemClock().now();
  constexpr std::int64_t kBatch = 5000;
  constexpr std::int64_t kCheckpointEvery = 1000;
  while (at.seq < n) {
    std::vector<audit::AuditEvent> batch;
    for (std::int64_t seq = at.seq + 1; seq <= std::min(n, at.seq + kBatch); ++seq) {
      audit::AuditEvent e = bench::audit_decision(static_cast<std::size_t>(seq));
      e.time = t0 + std::chrono::milliseconds(seq);
      batch.push_back(std::move(e));
    }
    auto sealed = audit::seal_all(batch, at);
    if (!sealed) fail(sealed.error().message);
    if (Status s = log.append(batch); !s) fail(s.error().message);
    for (const audit::AuditEvent& e : batch) {
      if (e.seq % kCheckpointEvery != 0) continue;
      auto c = audit::sign_checkpoint(audit::make_checkpoint({e.seq, e.hash}, e.time), *key);
      if (!c) fail(c.error().message);
      if (Status s = log.add_checkpoint(*c); !s) fail(s.error().message);
    }
    at = *sealed;
  }
}

// The median wall time of `repeat` runs of `query` (one page), and the rows the page held.
void time_filter(store::Store& db, const char* what, const store::AuditQuery& query, int repeat) {
  std::vector<double> ms;
  std::size_t rows = 0;
  for (int r = 0; r < repeat; ++r) {
    const auto wall = SteadyClock::now();
    auto page = db.read_audit(query);
    ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - wall).count());
    if (!page) fail(page.error().message);
    rows = page->size();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("filter   %-34s %8.3f ms a page   %3zu rows\n", what, ms[ms.size() / 2], rows);
}

void report(const char* what, std::int64_t events, double wall_s, double cpu_s) {
  std::printf("%-8s %9.0f events/s   %5.2f us CPU/event\n", what,
              static_cast<double>(events) / wall_s, cpu_s * 1e6 / static_cast<double>(events));
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  store::SqliteStore::Options so;
  so.path = (args.dir / "audit.db").string();
  auto opened = store::SqliteStore::open(so);
  if (!opened) fail(opened.error().message);
  store::SqliteStore& db = **opened;
  audit::AuditStore log(db);
  fill(db, log, args.events);
  auto keys = audit::checkpoint_verification_keys(db);
  if (!keys) fail(keys.error().message);
  const std::int64_t stored = log.head().value().seq;

  for (int r = 0; r < (args.read_repeat < 0 ? args.repeat : args.read_repeat); ++r) {
    std::vector<store::AuditRecord> rows;
    store::AuditQuery q;
    q.limit = args.page;
    std::int64_t n = 0;
    auto wall = SteadyClock::now();
    double cpu = cpu_seconds();
    for (;;) {
      if (Status s = db.read_audit_into(q, rows); !s) fail(s.error().message);
      if (rows.empty()) break;
      n += static_cast<std::int64_t>(rows.size());
      q.after_seq = rows.back().seq;
    }
    report("read", n, std::chrono::duration<double>(SteadyClock::now() - wall).count(),
           cpu_seconds() - cpu);
    if (n != stored) fail("read " + std::to_string(n) + " of " + std::to_string(stored));
  }
  for (int r = 0; r < args.repeat; ++r) {
    auto wall = SteadyClock::now();
    double cpu = cpu_seconds();
    auto verified = log.verify(*keys, args.page, args.threads);
    const double wall_s = std::chrono::duration<double>(SteadyClock::now() - wall).count();
    const double cpu_s = cpu_seconds() - cpu;
    if (!verified) fail(verified.error().message);
    if (!verified->ok()) fail("the log does not verify: " + verified->reason);
    if (verified->events != stored) fail("verified fewer events than stored");
    report("verify", verified->events, wall_s, cpu_s);
  }
  if (args.filter_repeat > 0) {
    const auto filtered = [](auto&& set) {
      store::AuditQuery q;
      q.limit = 100;
      set(q);
      return q;
    };
    const std::string absent = "user:default/nobody";
    time_filter(db, "actor, 1 event in 500",
                filtered([](auto& q) { q.actor_subject = "user:default/developer-7"; }),
                args.filter_repeat);
    time_filter(db, "actor nobody has", filtered([&](auto& q) { q.actor_subject = absent; }),
                args.filter_repeat);
    time_filter(db, "stack, 1 event in 300",
                filtered([](auto& q) { q.stack = "acme/service-7/dev"; }), args.filter_repeat);
    time_filter(db, "decision approval_required",
                filtered([](auto& q) { q.decision = "approval_required"; }), args.filter_repeat);
    store::AuditQuery at_middle;
    at_middle.after_seq = stored / 2;
    at_middle.limit = 1;
    const Time middle = log.read(at_middle).value().events.at(0).time;
    time_filter(db, "actor nobody has, since the middle", filtered([&](auto& q) {
                  q.actor_subject = absent;
                  q.since = middle;
                }),
                args.filter_repeat);
    time_filter(db, "since the middle, nothing else", filtered([&](auto& q) { q.since = middle; }),
                args.filter_repeat);
    time_filter(db, "until the middle, nothing else", filtered([&](auto& q) {
                  q.until = middle;
                  q.after_seq = stored / 2 + 10;
                }),
                args.filter_repeat);
  }
  return 0;
}
