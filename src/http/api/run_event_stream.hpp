// RunEventStream is the body of GET /v1/runs/{id}/events: a run's engine events as Server-Sent
// Events, read from the store after the last one sent, so a client gets the whole run from the
// start (or from Last-Event-ID), then each event as it is stored, then an `end` event with the
// run's final status once it is over.
//
//   id: <seq>            event: engine       data: <the engine event's JSON line>
//   event: end           data: {"status","reason","exit_code"}
//   event: error         data: {"code","message"}   (the store failed; the stream ends)
//
// A read gives at most kMaxBatchBytes of events; the session asks again at once when there is
// more. Waiting goes through the run service's RunEventFeed, so the stream costs nothing while
// the run is quiet, and every subscriber reads at its own pace. Owned by the session; used from
// its thread only (the feed's wake may come from any thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "http/response.hpp"
#include "runs/run_service.hpp"

namespace sg::http::api {

class RunEventStream final : public BodyStream {
 public:
  static constexpr std::size_t kMaxBatchEvents = 500;
  static constexpr std::size_t kMaxBatchBytes = 1 << 20;

  RunEventStream(runs::RunService& runs, std::string run_id, std::int64_t after_seq,
                 std::chrono::milliseconds idle);
  ~RunEventStream() override;

  bool read(std::string& out) override;
  void wait(std::function<void()> wake) override;
  void close() override;
  std::string_view heartbeat() const override { return ": heartbeat\n\n"; }
  std::chrono::milliseconds idle() const override { return idle_; }

 private:
  runs::RunService& runs_;
  const std::string run_id_;
  std::int64_t last_seq_;
  const std::chrono::milliseconds idle_;
  std::uint64_t ticket_ = 0;
  bool caught_up_ = false;  // the last read found nothing more to send
};

}  // namespace sg::http::api
