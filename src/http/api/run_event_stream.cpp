#include "http/api/run_event_stream.hpp"

#include <boost/json/serialize.hpp>

namespace sg::http::api {

namespace json = boost::json;

RunEventStream::RunEventStream(runs::RunService& runs, std::string run_id, std::int64_t after_seq,
                               std::chrono::milliseconds idle)
    : runs_(runs), run_id_(std::move(run_id)), last_seq_(after_seq), idle_(idle) {}

RunEventStream::~RunEventStream() {
  close();
}

bool RunEventStream::read(std::string& out) {
  // The status first: a run is marked ended only after its last event is stored, so seeing it
  // ended and then no events means there are none left.
  auto run = runs_.status_of(run_id_);
  if (!run) {
    out += "event: error\ndata: " +
           json::serialize(json::object{{"code", code_name(run.error().code)},
                                        {"message", run.error().message}}) +
           "\n\n";
    return false;
  }
  const bool ended = runs::is_terminal(run->status);
  auto events = runs_.events(run_id_, last_seq_, kMaxBatchEvents);
  if (!events) {
    out += "event: error\ndata: " +
           json::serialize(json::object{{"code", code_name(events.error().code)},
                                        {"message", events.error().message}}) +
           "\n\n";
    return false;
  }
  caught_up_ = events->size() < kMaxBatchEvents;
  for (const store::RunEventRecord& e : *events) {
    out += "id: ";
    out += std::to_string(e.seq);
    out += "\nevent: engine\ndata: ";
    out += e.line;
    out += "\n\n";
    last_seq_ = e.seq;
    if (out.size() >= kMaxBatchBytes) {
      caught_up_ = false;
      return true;
    }
  }
  if (!events->empty()) {
    caught_up_ = false;  // read again at once: an ended run's last events, or more of a live one
    return true;
  }
  if (!ended) return true;
  json::object end{{"status", runs::status_name(run->status)}};
  end["reason"] = run->reason.empty() ? json::value(nullptr) : json::value(run->reason);
  end["exit_code"] = run->exit_code ? json::value(*run->exit_code) : json::value(nullptr);
  out += "event: end\ndata: " + json::serialize(end) + "\n\n";
  return false;
}

void RunEventStream::wait(std::function<void()> wake) {
  close();
  if (!caught_up_) {
    wake();
    return;
  }
  auto shared = std::make_shared<std::function<void()>>(std::move(wake));
  ticket_ = runs_.feed().wait(run_id_, last_seq_, [shared] { (*shared)(); });
  // A run that ended before we started waiting (a queued run cancelled, say) is never closed
  // again: look once more now that the wait is registered.
  if (ticket_ != 0) {
    auto run = runs_.status_of(run_id_);
    if (!run || runs::is_terminal(run->status)) (*shared)();
  }
}

void RunEventStream::close() {
  if (ticket_ != 0) runs_.feed().forget(run_id_, ticket_);
  ticket_ = 0;
}

}  // namespace sg::http::api
