// Audit log benchmarks (issue 5): how fast events become durable, and how fast a stored log
// verifies.
//
//   bench_audit DIR [--events N] [--window W] [--producers P] [--max-batch B]
//
// append   P producer threads keep W events in flight between them, each submitted on its own (as
//          W concurrent requests would) to an AuditWriter over an SQLite store in DIR (each
//          batch committed to the WAL, then made durable by an fdatasync of it, which covers
//          every batch waiting). An event counts once its completion says it is durable. The
//          figure is durable events per second, with the average batch (events per transaction)
//          the group commit achieved. --max-batch caps a batch below the writer's default
//          (4,096; a batch takes at most half the events in the writer's hands anyway).
// verify   the same log verified from the store (AuditStore::verify: SQLite reads, strict JSON,
//          canonical form, SHA-256 chain, checkpoint signatures), and the same rows verified in
//          memory (verify_log), to separate the store's reading from the verification itself.
//
// Events are realistic authz.decision events of ~620 bytes (actor, stack, a three-sentence reason,
// request id, address and user agent, roles). Prints one JSON object; exits 1 if anything fails or
// the log does not verify. DIR must be on the disk the gateway would use (not tmpfs) for the fsync
// cost to be real. bench/audit.sh runs it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/serialize.hpp>

#include "audit/audit_store.hpp"
#include "audit/checkpoint_keys.hpp"
#include "audit/verify.hpp"
#include "audit/writer.hpp"
#include "common/clock.hpp"
#include "common/logger.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include "audit_events.hpp"

namespace {

using namespace sg;
using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "bench_audit: " << what << "\n";
  std::exit(1);
}

struct Args {
  std::filesystem::path dir;
  std::size_t events = 200'000;
  std::size_t window = 512;
  unsigned producers = 4;
  std::size_t max_batch = 0;  // 0: the writer's default
};

Args parse(int argc, char** argv) {
  if (argc < 2) {
    fail("usage: bench_audit DIR [--events N] [--window W] [--producers P] [--max-batch B]");
  }
  Args a;
  a.dir = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    auto v = std::stoull(argv[i + 1]);
    if (k == "--events")
      a.events = v;
    else if (k == "--window")
      a.window = v;
    else if (k == "--producers")
      a.producers = static_cast<unsigned>(v);
    else if (k == "--max-batch")
      a.max_batch = v;
    else
      fail("unknown option " + k);
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  std::filesystem::remove_all(args.dir);
  store::SqliteStore::Options so;
  so.path = (args.dir / "audit.db").string();
  auto opened = store::SqliteStore::open(so);
  if (!opened) fail(opened.error().message);
  auto& db = **opened;
  audit::AuditStore audit_store(db);
  SystemClock clock;
  Logger log(2, LogLevel::kWarn);

  // --- append ---
  audit::AuditWriter::Options wo;
  wo.queue = args.window * 2;
  if (args.max_batch != 0) wo.max_batch = args.max_batch;
  audit::AuditWriter writer(audit_store, db, clock, log, wo);
  if (Status s = writer.start(); !s) fail(s.error().message);
  std::vector<audit::AuditEvent> events;
  events.reserve(args.events);
  for (std::size_t i = 0; i < args.events; ++i)
    events.push_back(bench::audit_decision(i));

  std::counting_semaphore<> in_flight(static_cast<std::ptrdiff_t>(args.window));
  std::atomic<std::size_t> durable{0}, failed{0};
  auto started = SteadyClock::now();
  std::vector<std::thread> producers;
  for (unsigned p = 0; p < args.producers; ++p) {
    producers.emplace_back([&, p] {
      for (std::size_t i = p; i < args.events; i += args.producers) {
        in_flight.acquire();
        std::vector<audit::AuditEvent> one{std::move(events[i])};
        writer.submit(std::move(one), [&](const Status& s) {
          (s ? durable : failed).fetch_add(1);
          in_flight.release();
        });
      }
    });
  }
  for (auto& t : producers)
    t.join();
  for (std::size_t i = 0; i < args.window; ++i)
    in_flight.acquire();  // every completion has run
  double append_s = std::chrono::duration<double>(SteadyClock::now() - started).count();
  audit::AuditWriter::Stats ws = writer.stats();
  writer.stop();
  if (failed.load() != 0 || durable.load() != args.events) fail("events failed to commit");

  // --- verify from the store ---
  auto keys = audit::checkpoint_verification_keys(db);
  if (!keys) fail(keys.error().message);
  started = SteadyClock::now();
  auto report = audit_store.verify(*keys, 5000);
  double verify_store_s = std::chrono::duration<double>(SteadyClock::now() - started).count();
  if (!report || !report->ok()) fail("the log does not verify");

  // --- verify in memory ---
  std::vector<store::AuditRecord> rows;
  store::AuditQuery q;
  q.limit = store::kMaxAuditPage;
  for (;;) {
    auto page = db.read_audit(q);
    if (!page) fail(page.error().message);
    if (page->empty()) break;
    q.after_seq = page->back().seq;
    std::move(page->begin(), page->end(), std::back_inserter(rows));
  }
  auto cps = db.read_audit_checkpoints(0, store::kMaxAuditPage);
  if (!cps) fail(cps.error().message);
  started = SteadyClock::now();
  audit::VerifyReport mem = audit::verify_log(rows, *cps, *keys);
  double verify_mem_s = std::chrono::duration<double>(SteadyClock::now() - started).count();
  if (!mem.ok()) fail("the log does not verify in memory: " + mem.reason);

  std::size_t bytes = 0;
  for (const auto& r : rows)
    bytes += r.body.size();
  boost::json::object out{
      {"events", args.events},
      {"window", args.window},
      {"producers", args.producers},
      {"average_event_bytes", bytes / rows.size()},
      {"append_events_per_second", static_cast<std::int64_t>(args.events / append_s)},
      {"commits", ws.commits},
      {"average_batch", static_cast<double>(ws.committed) / static_cast<double>(ws.commits)},
      {"checkpoints", report->checkpoints},
      {"verify_store_events_per_second",
       static_cast<std::int64_t>(static_cast<double>(report->events) / verify_store_s)},
      {"verify_memory_events_per_second",
       static_cast<std::int64_t>(static_cast<double>(mem.events) / verify_mem_s)},
  };
  std::cout << boost::json::serialize(out) << "\n";
  return 0;
}
