// Run service benchmarks (issue 7): dispatch overhead, draining a deep queue under the scheduler's
// rule, and Server-Sent Events fan-out — over the real RunService, SQLite store and audit writer
// (runs_gateway.hpp).
//
//   bench_runs DIR [--dispatch-runs 500] [--warmup 20] [--true /bin/true] [--drain-runs 1000]
//                  [--stacks 100] [--max-concurrent 16] [--tight-limit 4] [--events 2000]
//                  [--subscribers 100] [--interval-us 5000] [--slow-ms 20] [--samples FILE]
//                  [--only dispatch|drain|fanout]
//
// dispatch  One run at a time (each waits until the one before has finished, so the queue is
//           empty): t0 just before RunService::create(), t1 when the child has started — for a
//           stand-in execution, when its run() is entered; for the real executor
//           (runs::make_pulumi_runs with `command` = /bin/true, which ignores Pulumi's flags and
//           exits 0), when its `started` callback fires, right after posix_spawn. Median and p99
//           of t1 - t0 after --warmup runs, split into create() itself, create() returning to
//           the service asking for the execution, and that to t1; then, on the same store, one
//           audit commit and one Store::update_run timed alone (what the steps are made of).
// drain     --drain-runs runs over --stacks stacks (~85 % `up`, ~15 % `preview`; stacks and sleeps
//           from a fixed seed) are all created before the service starts; then the time until the
//           last has finished. Each execution sleeps 0-2 ms and, under a mutex, counts
//           violations of the rule: more than --max-concurrent runs at once, two mutating runs of
//           one stack at once, a mutating run starting before one queued ahead of it on its
//           stack. Three times: as the service is, with the benchmark poking the dispatcher each
//           time a run finishes (what a wake-up on finish would give), and poked again with
//           --tight-limit (4) as the limit, which the runs then reach.
// fanout    runs_fanout.hpp.
//
// Prints one JSON object; exits 1 if any run fails, any rule is broken or any reader misses an
// event. DIR must be on the disk the gateway would use (fsync cost); bench/runs.sh runs it.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include <boost/json/serialize.hpp>

#include "runs/child_environment.hpp"
#include "runs/posix_process_spawner.hpp"
#include "runs/pulumi_run.hpp"
#include "runs_fanout.hpp"
#include "runs_gateway.hpp"

namespace {

using namespace sg;
using namespace sg::bench;
using namespace std::chrono_literals;

constexpr std::int64_t kFakeProcessGroup = 4242;  // stored as the run's pid; nothing signals it

struct Args {
  std::filesystem::path dir;
  std::size_t dispatch_runs = 500;
  std::size_t warmup = 20;
  std::string true_command = "/bin/true";
  std::size_t drain_runs = 1'000;
  std::size_t stacks = 100;
  unsigned max_concurrent = 16;
  unsigned tight_limit = 4;
  FanoutOptions fanout;
  std::string only;
};

Args parse(int argc, char** argv) {
  if (argc < 2) fail("usage: bench_runs DIR [--option value]... (see bench/runs_bench.cpp)");
  Args a;
  a.dir = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const std::string v = argv[i + 1];
    auto n = [&] { return static_cast<std::size_t>(std::stoull(v)); };
    if (k == "--dispatch-runs") {
      a.dispatch_runs = n();
    } else if (k == "--warmup") {
      a.warmup = n();
    } else if (k == "--true") {
      a.true_command = v;
    } else if (k == "--drain-runs") {
      a.drain_runs = n();
    } else if (k == "--stacks") {
      a.stacks = n();
    } else if (k == "--max-concurrent") {
      a.max_concurrent = static_cast<unsigned>(n());
    } else if (k == "--tight-limit") {
      a.tight_limit = static_cast<unsigned>(n());
    } else if (k == "--events") {
      a.fanout.events = n();
    } else if (k == "--subscribers") {
      a.fanout.subscribers = n();
    } else if (k == "--interval-us") {
      a.fanout.interval = std::chrono::microseconds(n());
    } else if (k == "--slow-ms") {
      a.fanout.slow_pause = std::chrono::milliseconds(n());
    } else if (k == "--samples") {
      a.fanout.samples = v;
    } else if (k == "--only") {
      a.only = v;
    } else {
      fail("unknown option " + k);
    }
  }
  if (a.stacks == 0 || a.max_concurrent == 0 || a.tight_limit == 0 || a.fanout.events == 0)
    fail("counts must be > 0");
  return a;
}

template <typename Predicate>
void await(Predicate done, std::chrono::seconds bound, const char* what) {
  const auto end = SteadyClock::now() + bound;
  while (!done()) {
    if (SteadyClock::now() > end) fail(std::string("timed out waiting for ") + what);
    std::this_thread::sleep_for(100us);
  }
}

runs::RunOutcome succeeded() {
  runs::RunOutcome out;
  out.status = runs::RunStatus::kSucceeded;
  out.reason = "Pulumi finished successfully";
  out.exit_code = 0;
  return out;
}

// --- dispatch ---

// The moments of the current run, stamped by its worker thread.
class Probe {
 public:
  void reset() {
    std::lock_guard lock(mu_);
    factory_ = started_ = {};
    has_started_ = false;
  }
  void factory_called() {
    std::lock_guard lock(mu_);
    factory_ = SteadyClock::now();
  }
  void child_started() {
    const auto now = SteadyClock::now();
    {
      std::lock_guard lock(mu_);
      started_ = now;
      has_started_ = true;
    }
    cv_.notify_all();
  }
  // The factory's and the start's moments, once the run has started.
  std::pair<SteadyClock::time_point, SteadyClock::time_point> wait_started() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, 30s, [this] { return has_started_; })) fail("a run did not start");
    return {factory_, started_};
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  SteadyClock::time_point factory_;
  SteadyClock::time_point started_;
  bool has_started_ = false;
};

// Stands in for the child: "started" the moment the service calls run().
class StampedExecution final : public runs::RunExecution {
 public:
  explicit StampedExecution(Probe& probe) : probe_(probe) {}
  runs::RunOutcome run(const std::function<void(std::int64_t)>& started,
                       const std::function<void(std::string_view)>&,
                       const std::function<void()>&) override {
    probe_.child_started();
    started(kFakeProcessGroup);
    return succeeded();
  }
  void cancel() override {}

 private:
  Probe& probe_;
};

// The real executor, with the moment its child started stamped.
class StampedChild final : public runs::RunExecution {
 public:
  StampedChild(std::unique_ptr<runs::RunExecution> inner, Probe& probe)
      : inner_(std::move(inner)), probe_(probe) {}
  runs::RunOutcome run(const std::function<void(std::int64_t)>& started,
                       const std::function<void(std::string_view)>& event,
                       const std::function<void()>& burst) override {
    return inner_->run(
        [&](std::int64_t pgid) {
          probe_.child_started();
          started(pgid);
        },
        event, burst);
  }
  void cancel() override { inner_->cancel(); }

 private:
  std::unique_ptr<runs::RunExecution> inner_;
  Probe& probe_;
};

boost::json::object measure_dispatch(const Args& args, const std::filesystem::path& dir, int log_fd,
                                     bool real) {
  Probe probe;
  runs::PulumiSettings settings;
  settings.command = args.true_command;
  const runs::Environment env = runs::environment_from(environ);
  runs::PosixProcessSpawner spawner;
  SystemClock clock;
  runs::RunExecutionFactory pulumi = runs::make_pulumi_runs(settings, env, spawner, clock);
  Gateway gateway(dir, args.stacks, 4, log_fd, [&](const runs::RunExecutionSpec& spec) {
    probe.factory_called();
    if (!real)
      return std::unique_ptr<runs::RunExecution>(std::make_unique<StampedExecution>(probe));
    return std::unique_ptr<runs::RunExecution>(std::make_unique<StampedChild>(pulumi(spec), probe));
  });
  gateway.start();
  std::vector<double> total, create, to_worker, to_start;
  const std::size_t all = args.warmup + args.dispatch_runs;
  for (std::size_t i = 0; i < all; ++i) {
    probe.reset();
    const auto t0 = SteadyClock::now();
    gateway.create(gateway.stacks()[i % gateway.stacks().size()], "up");
    const auto created = SteadyClock::now();
    const auto [factory, started] = probe.wait_started();
    await([&] { return gateway.service().stats().finished == i + 1; }, 30s, "a run to finish");
    if (i < args.warmup) continue;
    total.push_back(micros(t0, started));
    create.push_back(micros(t0, created));
    to_worker.push_back(micros(created, factory));
    to_start.push_back(micros(factory, started));
  }
  if (gateway.count("succeeded") != all) fail("a dispatch run did not succeed");
  return {{"runs", args.dispatch_runs},
          {"commits", gateway.commit_latency(200)},
          {"total_us", distribution(std::move(total))},
          {"create_us", distribution(std::move(create))},
          {"to_worker_us", distribution(std::move(to_worker))},
          {"to_start_us", distribution(std::move(to_start))}};
}

// --- drain ---

// What the executions saw, checked under one mutex.
struct Ledger {
  std::mutex mu;
  std::size_t limit = 0;
  std::size_t running = 0;
  std::size_t max_running = 0;
  std::map<std::string, int, std::less<>> mutating_now;                // by stack
  std::map<std::string, std::deque<std::string>, std::less<>> queued;  // mutating, queue order
  std::map<std::string, std::chrono::microseconds, std::less<>> nap;   // by run id
  std::size_t limit_violations = 0;
  std::size_t overlap_violations = 0;
  std::size_t order_violations = 0;
};

class CheckedExecution final : public runs::RunExecution {
 public:
  CheckedExecution(runs::RunExecutionSpec spec, Ledger& ledger)
      : spec_(std::move(spec)), ledger_(ledger) {}

  runs::RunOutcome run(const std::function<void(std::int64_t)>& started,
                       const std::function<void(std::string_view)>&,
                       const std::function<void()>&) override {
    const bool mutating = runs::is_mutating(spec_.operation);
    const std::string& stack = spec_.stack_arg;
    std::chrono::microseconds nap{};
    {
      std::lock_guard lock(ledger_.mu);
      nap = ledger_.nap.at(spec_.run_id);
      ledger_.max_running = std::max(ledger_.max_running, ++ledger_.running);
      if (ledger_.running > ledger_.limit) ++ledger_.limit_violations;
      if (mutating) {
        if (++ledger_.mutating_now[stack] > 1) ++ledger_.overlap_violations;
        std::deque<std::string>& queue = ledger_.queued[stack];
        if (queue.empty() || queue.front() != spec_.run_id) ++ledger_.order_violations;
        std::erase(queue, spec_.run_id);
      }
    }
    started(kFakeProcessGroup);
    std::this_thread::sleep_for(nap);
    {
      std::lock_guard lock(ledger_.mu);
      --ledger_.running;
      if (mutating) --ledger_.mutating_now[stack];
    }
    return succeeded();
  }
  void cancel() override {}

 private:
  const runs::RunExecutionSpec spec_;
  Ledger& ledger_;
};

boost::json::object measure_drain(const Args& args, const std::filesystem::path& dir, int log_fd,
                                  unsigned limit, bool poke_on_finish) {
  Ledger ledger;
  ledger.limit = limit;
  Gateway gateway(dir, args.stacks, limit, log_fd, [&](const runs::RunExecutionSpec& spec) {
    return std::make_unique<CheckedExecution>(spec, ledger);
  });
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick_stack(0, args.stacks - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> nap_us(0, 2'000);
  std::size_t previews = 0;
  std::size_t longest = 0;
  const auto creating = SteadyClock::now();
  for (std::size_t i = 0; i < args.drain_runs; ++i) {
    const std::string& stack = gateway.stacks()[pick_stack(rng)];
    const bool preview = percent(rng) < 15;
    store::RunRecord run = gateway.create(stack, preview ? "preview" : "up");
    ledger.nap[run.id] = std::chrono::microseconds(nap_us(rng));
    if (preview) {
      ++previews;
    } else {
      ledger.queued[stack].push_back(run.id);
      longest = std::max(longest, ledger.queued[stack].size());
    }
  }
  const std::int64_t create_ms = millis(creating, SteadyClock::now());

  const auto began = SteadyClock::now();
  gateway.start();
  std::atomic<bool> drained{false};
  std::thread poker;
  if (poke_on_finish) {
    poker = std::thread([&] {
      std::uint64_t seen = 0;
      while (!drained.load()) {
        const std::uint64_t now = gateway.service().stats().finished;
        if (now != seen) gateway.service().poke();
        seen = now;
        std::this_thread::sleep_for(200us);
      }
    });
  }
  await([&] { return gateway.service().stats().finished == args.drain_runs; }, 1800s,
        "the queue to drain");
  const std::int64_t drain_ms = millis(began, SteadyClock::now());
  drained = true;
  if (poker.joinable()) poker.join();

  std::lock_guard lock(ledger.mu);
  std::size_t never_ran = 0;
  for (const auto& [stack, queue] : ledger.queued)
    never_ran += queue.size();
  const std::size_t ok = gateway.count("succeeded");
  if (ok != args.drain_runs || never_ran != 0) fail("a drain run did not run or did not succeed");
  return {{"runs", args.drain_runs},
          {"stacks", args.stacks},
          {"previews", previews},
          {"longest_stack_mutating_runs", longest},
          {"max_concurrent", limit},
          {"create_ms", create_ms},
          {"drain_ms", drain_ms},
          {"runs_per_second",
           static_cast<double>(args.drain_runs) * 1000 / static_cast<double>(drain_ms)},
          {"max_running_seen", ledger.max_running},
          {"limit_violations", ledger.limit_violations},
          {"overlap_violations", ledger.overlap_violations},
          {"order_violations", ledger.order_violations}};
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  std::filesystem::remove_all(args.dir);
  std::filesystem::create_directories(args.dir);
  const int log_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (log_fd < 0) fail("cannot open /dev/null");
  auto wanted = [&](std::string_view part) { return args.only.empty() || args.only == part; };

  boost::json::object out{{"fsync_4k_us", fsync_latency(args.dir, 200)}};
  if (wanted("dispatch")) {
    out["dispatch"] = boost::json::object{
        {"stand_in", measure_dispatch(args, args.dir / "dispatch-stand-in", log_fd, false)},
        {"bin_true", measure_dispatch(args, args.dir / "dispatch-bin-true", log_fd, true)}};
  }
  if (wanted("drain")) {
    out["drain"] = boost::json::object{
        {"as_is", measure_drain(args, args.dir / "drain", log_fd, args.max_concurrent, false)},
        {"poked", measure_drain(args, args.dir / "drain-poked", log_fd, args.max_concurrent, true)},
        {"poked_tight",
         measure_drain(args, args.dir / "drain-tight", log_fd, args.tight_limit, true)}};
  }
  if (wanted("fanout")) out["fanout"] = measure_fanout(args.dir / "fanout", args.fanout, log_fd);

  bool broken = false;
  if (const auto* drain = out.if_contains("drain")) {
    for (const auto& [name, fig] : drain->as_object()) {
      const auto& f = fig.as_object();
      broken = broken || f.at("limit_violations").as_uint64() != 0 ||
               f.at("overlap_violations").as_uint64() != 0 ||
               f.at("order_violations").as_uint64() != 0;
    }
  }
  if (const auto* fan = out.if_contains("fanout")) {
    for (const char* kind : {"live", "slow"}) {
      for (const auto& run : fan->as_object().at(kind).as_array()) {
        const auto& f = run.as_object();
        broken = broken || f.at("mismatches").as_uint64() != 0 ||
                 (f.contains("slow_mismatches") && f.at("slow_mismatches").as_uint64() != 0);
      }
    }
    broken = broken || fan->as_object().at("replay").as_object().at("mismatches").as_uint64() != 0;
  }
  std::cout << boost::json::serialize(out) << "\n";
  ::close(log_fd);
  std::filesystem::remove_all(args.dir);
  return broken ? 1 : 0;
}
