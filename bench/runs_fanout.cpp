#include "runs_fanout.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/api/run_event_stream.hpp"
#include "runs_gateway.hpp"

namespace sg::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kFakeProcessGroup = 4242;  // stored as the run's pid; nothing signals it
constexpr auto kPatience = 120s;                  // a bound that only stops a broken run hanging

// The run's lines: the samples cycled (or synthetic diagnostics when there are none), each with
// its own "sequence" so that no two lines are equal.
std::vector<std::string> event_lines(const std::filesystem::path& samples, std::size_t count,
                                     std::string& source) {
  std::vector<std::string> base;
  if (!samples.empty()) {
    std::ifstream in(samples);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) base.push_back(line);
    }
  }
  source = base.empty() ? "synthetic" : samples.filename().string();
  constexpr std::string_view kHead = R"({"sequence":)";
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t k = 0; k < count; ++k) {
    const std::string seq = std::to_string(k + 1);
    if (base.empty()) {
      out.push_back(std::string(kHead) + seq +
                    R"(,"timestamp":1764400000,"diagnosticEvent":{"severity":"info",)"
                    R"("message":"step )" +
                    seq + R"( of the program\n","urn":""}})");
      continue;
    }
    const std::string& sample = base[k % base.size()];
    std::size_t digits = sample.starts_with(kHead) ? kHead.size() : std::string::npos;
    if (digits == std::string::npos) {
      out.push_back(sample);
      continue;
    }
    while (digits < sample.size() && sample[digits] >= '0' && sample[digits] <= '9')
      ++digits;
    out.push_back(std::string(kHead) + seq + sample.substr(digits));
  }
  return out;
}

// One run's pacing: the worker waits at `ready` until the benchmark says `go`, then emits.
struct Emission {
  explicit Emission(std::size_t events) : handed(events), stored(events) {}
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  bool go = false;
  SteadyClock::time_point began;
  SteadyClock::time_point ended;
  std::vector<SteadyClock::time_point> handed;  // event k given to the service
  std::vector<SteadyClock::time_point> stored;  // … and the service's callback returned
};

class EmittingExecution final : public runs::RunExecution {
 public:
  EmittingExecution(Emission& emission, const std::vector<std::string>& lines,
                    std::chrono::microseconds interval)
      : emission_(emission), lines_(lines), interval_(interval) {}

  runs::RunOutcome run(const std::function<void(std::int64_t)>& started,
                       const std::function<void(std::string_view)>& event,
                       const std::function<void()>& burst) override {
    started(kFakeProcessGroup);
    {
      std::unique_lock lock(emission_.mu);
      emission_.ready = true;
      emission_.cv.notify_all();
      emission_.cv.wait(lock, [&] { return emission_.go; });
    }
    const auto began = SteadyClock::now();
    for (std::size_t k = 0; k < lines_.size(); ++k) {
      std::this_thread::sleep_until(began + interval_ * k);
      emission_.handed[k] = SteadyClock::now();
      event(lines_[k]);
      burst();  // one event a read of the log, as a run that writes one every interval
      emission_.stored[k] = SteadyClock::now();
    }
    emission_.began = began;
    emission_.ended = SteadyClock::now();
    runs::RunOutcome out;
    out.status = runs::RunStatus::kSucceeded;
    out.reason = "Pulumi finished successfully";
    out.exit_code = 0;
    return out;
  }
  void cancel() override {}

 private:
  Emission& emission_;
  const std::vector<std::string>& lines_;
  const std::chrono::microseconds interval_;
};

// One reader of a run's stream and what it saw.
struct Subscriber {
  Subscriber(std::size_t events, std::chrono::milliseconds pause_after_read)
      : delivered(events), pause(pause_after_read) {}
  std::vector<SteadyClock::time_point> delivered;  // when event k came back from read()
  std::chrono::milliseconds pause;
  std::int64_t next = 1;
  std::size_t mismatches = 0;
  std::vector<double> read_us;  // each read() call
  bool ended = false;
  SteadyClock::time_point finished;
  std::mutex mu;
  std::condition_variable cv;
  bool woken = false;
  std::thread thread;
};

// Checks one read's Server-Sent Events against the run's lines.
void take(std::string_view out, SteadyClock::time_point at, const std::vector<std::string>& lines,
          Subscriber& s) {
  constexpr std::string_view kEngine = "event: engine\ndata: ";
  constexpr std::string_view kEnd = "event: end\ndata: ";
  std::size_t pos = 0;
  while (pos < out.size()) {
    const std::size_t stop = out.find("\n\n", pos);
    if (stop == std::string_view::npos) {
      ++s.mismatches;
      return;
    }
    std::string_view block = out.substr(pos, stop - pos);
    pos = stop + 2;
    if (block.starts_with(kEnd)) {
      s.ended = block.find(R"("status":"succeeded")") != std::string_view::npos;
      if (!s.ended) ++s.mismatches;
      continue;
    }
    const std::size_t newline = block.find('\n');
    if (!block.starts_with("id: ") || newline == std::string_view::npos) {
      ++s.mismatches;
      continue;
    }
    const std::int64_t seq = std::stoll(std::string(block.substr(4, newline - 4)));
    std::string_view rest = block.substr(newline + 1);
    const bool in_order = seq == s.next && static_cast<std::size_t>(seq) <= lines.size();
    if (!in_order || !rest.starts_with(kEngine) ||
        rest.substr(kEngine.size()) != lines[static_cast<std::size_t>(seq) - 1]) {
      ++s.mismatches;
    } else {
      s.delivered[static_cast<std::size_t>(seq) - 1] = at;
    }
    s.next = seq + 1;
  }
}

// A session's loop over one stream: read; when caught up, wait for the feed's wake.
void follow(runs::RunService& service, const std::string& run_id,
            const std::vector<std::string>& lines, Subscriber& s,
            std::atomic<std::size_t>& waiting) {
  http::api::RunEventStream stream(service, run_id, 0, std::chrono::milliseconds(15'000));
  std::string out;
  bool first = true;
  for (;;) {
    out.clear();
    const auto reading = SteadyClock::now();
    const bool more = stream.read(out);
    const auto read = SteadyClock::now();
    s.read_us.push_back(micros(reading, read));
    take(out, read, lines, s);
    if (!more) break;
    if (s.pause.count() > 0) std::this_thread::sleep_for(s.pause);
    {
      std::lock_guard lock(s.mu);
      s.woken = false;
    }
    stream.wait([&s] {
      {
        std::lock_guard lock(s.mu);
        s.woken = true;
      }
      s.cv.notify_one();
    });
    if (first) waiting.fetch_add(1);
    first = false;
    std::unique_lock lock(s.mu);
    if (!s.cv.wait_for(lock, kPatience, [&s] { return s.woken; })) fail("a reader never woke");
  }
  s.finished = SteadyClock::now();
  if (first) waiting.fetch_add(1);
  if (static_cast<std::size_t>(s.next - 1) != lines.size() || !s.ended) ++s.mismatches;
}

template <typename Predicate>
void await(Predicate done, const char* what) {
  const auto end = SteadyClock::now() + kPatience;
  while (!done()) {
    if (SteadyClock::now() > end) fail(std::string("timed out waiting for ") + what);
    std::this_thread::sleep_for(100us);
  }
}

struct Readers {
  std::vector<std::unique_ptr<Subscriber>> all;
  std::atomic<std::size_t> waiting{0};
};

void start_readers(Readers& r, runs::RunService& service, const std::string& run_id,
                   const std::vector<std::string>& lines, std::size_t fast,
                   std::chrono::milliseconds slow_pause, bool slow) {
  for (std::size_t i = 0; i < fast + (slow ? 1 : 0); ++i) {
    auto s = std::make_unique<Subscriber>(lines.size(), i < fast ? 0ms : slow_pause);
    Subscriber* raw = s.get();
    r.all.push_back(std::move(s));
    raw->thread = std::thread(
        [&service, &run_id, &lines, raw, &r] { follow(service, run_id, lines, *raw, r.waiting); });
  }
}

boost::json::object summary_of(const Emission& e) {
  std::vector<double> append;
  for (std::size_t k = 0; k < e.handed.size(); ++k)
    append.push_back(micros(e.handed[k], e.stored[k]));
  return {{"run_ms", millis(e.began, e.ended)}, {"append_us", distribution(append)}};
}

}  // namespace

boost::json::object measure_fanout(const std::filesystem::path& dir, const FanoutOptions& options,
                                   int log_fd) {
  std::string source;
  const std::vector<std::string> lines = event_lines(options.samples, options.events, source);
  std::size_t bytes = 0;
  for (const std::string& l : lines)
    bytes += l.size();
  std::atomic<Emission*> current{nullptr};
  std::vector<std::unique_ptr<Readers>> readers;  // outlive the service: wakes may be in flight
  Gateway gateway(dir, 100, 4, log_fd, [&](const runs::RunExecutionSpec&) {
    return std::make_unique<EmittingExecution>(*current.load(), lines, options.interval);
  });
  gateway.start();
  runs::RunService& service = gateway.service();

  boost::json::object out{{"events", lines.size()},
                          {"subscribers", options.subscribers},
                          {"interval_us", options.interval.count()},
                          {"source", source},
                          {"average_line_bytes", bytes / lines.size()}};
  std::string last_run;
  std::uint64_t finished = 0;
  // live and slow twice, in the order live, slow, slow, live, so that a drift of the machine
  // during the benchmark weighs on both alike.
  for (const char* name : {"alone", "live", "slow", "slow", "live"}) {
    const std::string_view which = name;
    Emission emission(lines.size());
    current = &emission;
    const std::string run_id = gateway.create(gateway.stacks()[0], "up").id;
    {
      std::unique_lock lock(emission.mu);
      if (!emission.cv.wait_for(lock, kPatience, [&] { return emission.ready; })) {
        fail("the fan-out run did not start");
      }
    }
    auto& r = *readers.emplace_back(std::make_unique<Readers>());
    const std::size_t fast = which == "alone" ? 0 : options.subscribers;
    start_readers(r, service, run_id, lines, fast, options.slow_pause, which == "slow");
    await([&] { return r.waiting.load() == r.all.size(); }, "the readers to catch up");
    {
      std::lock_guard lock(emission.mu);
      emission.go = true;
    }
    emission.cv.notify_all();
    for (auto& s : r.all)
      s->thread.join();
    await([&] { return service.stats().finished == finished + 1; }, "the fan-out run to finish");
    ++finished;
    last_run = run_id;

    boost::json::object fig = summary_of(emission);
    if (fast > 0) {
      std::vector<double> latency;
      std::vector<double> reads;
      std::size_t mismatches = 0;
      SteadyClock::time_point last = emission.began;
      for (std::size_t i = 0; i < fast; ++i) {
        const Subscriber& s = *r.all[i];
        mismatches += s.mismatches;
        reads.insert(reads.end(), s.read_us.begin(), s.read_us.end());
        for (std::size_t k = 0; k < lines.size(); ++k) {
          if (s.delivered[k] == SteadyClock::time_point{}) continue;  // missed: a mismatch
          latency.push_back(micros(emission.handed[k], s.delivered[k]));
          last = std::max(last, s.delivered[k]);
        }
      }
      const double seconds = micros(emission.began, last) / 1e6;
      fig["latency_us"] = distribution(std::move(latency));
      fig["reads"] = reads.size();
      fig["read_us"] = distribution(std::move(reads));
      fig["mismatches"] = mismatches;
      fig["delivered_per_second"] =
          static_cast<std::int64_t>(static_cast<double>(lines.size() * fast) / seconds);
    }
    if (which == "slow") {
      const Subscriber& slow = *r.all.back();
      fig["slow_mismatches"] = slow.mismatches;
      fig["slow_pause_ms"] = options.slow_pause.count();
      fig["slow_done_after_run_ms"] = millis(emission.ended, slow.finished);
    }
    if (which == "alone") {
      out[which] = std::move(fig);
    } else {
      auto& runs = out[which];
      if (!runs.is_array()) runs = boost::json::array();
      runs.as_array().push_back(std::move(fig));
    }
  }

  // Replay: readers arriving after the run read it whole from the store, all at once.
  auto& r = *readers.emplace_back(std::make_unique<Readers>());
  const auto began = SteadyClock::now();
  start_readers(r, service, last_run, lines, options.subscribers, 0ms, false);
  for (auto& s : r.all)
    s->thread.join();
  SteadyClock::time_point last = began;
  std::size_t mismatches = 0;
  for (const auto& s : r.all) {
    last = std::max(last, s->finished);
    mismatches += s->mismatches;
  }
  const double seconds = micros(began, last) / 1e6;
  out["replay"] =
      boost::json::object{{"duration_us", static_cast<std::int64_t>(micros(began, last))},
                          {"mismatches", mismatches},
                          {"delivered_per_second",
                           static_cast<std::int64_t>(
                               static_cast<double>(lines.size() * options.subscribers) / seconds)}};
  if (gateway.count("succeeded") != 5) fail("a fan-out run did not succeed");
  return out;
}

}  // namespace sg::bench
