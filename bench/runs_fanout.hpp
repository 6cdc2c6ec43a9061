// The Server-Sent Events part of bench_runs: one run emits `events` engine-event lines at a steady
// pace while `subscribers` readers follow it through http::api::RunEventStream, each on its own
// thread as a session would drive it (read(); when caught up, wait() with a wake that notifies the
// thread). Runs one after the other on one gateway, then a replay:
//
//   alone     the run with nobody reading (its duration and the cost of storing each event);
//   live      the run with `subscribers` readers (twice: the first and the last run);
//   slow      the same plus one reader that sleeps `slow_pause` after every read (twice, between
//             the two `live` runs, so that a drift of the machine weighs on both alike);
//   replay    `subscribers` readers reading the last run from the start at once.
//
// `live` and `slow` are arrays of two figures each, in the order they ran.
// Every reader checks that it got every event once, in order, with the exact line, then `end`
// (each failure counts as a mismatch). Delivery latency is from the moment the run hands an event
// to the service (which stores it, then wakes the readers) to the moment a reader's read() that
// returned it came back. Bench-only; fails the process on a setup error.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>

#include <boost/json/object.hpp>

namespace sg::bench {

struct FanoutOptions {
  std::size_t events = 2'000;
  std::size_t subscribers = 100;
  std::chrono::microseconds interval{5'000};  // between two events of the run
  std::chrono::milliseconds slow_pause{20};   // the slow reader's sleep after each read
  std::filesystem::path samples;              // engine-event lines to cycle; else synthetic
};

boost::json::object measure_fanout(const std::filesystem::path& dir, const FanoutOptions& options,
                                   int log_fd);

}  // namespace sg::bench
