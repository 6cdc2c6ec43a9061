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
  auto fail = [&out](const Error& e) {
    out += "event: error\ndata: " +
           json::serialize(json::object{{"code", code_name(e.code)}, {"message", e.message}}) +
           "\n\n";
    return false;
  };
  auto events = runs_.events(run_id_, last_seq_, kMaxBatchEvents);
  if (!events) return fail(events.error());
  if (events->empty()) {
    // Caught up: has the run ended? It is marked ended only after its last event is stored, so
    // one more read after seeing it ended finds whatever came in between.
    auto run = runs_.status_of(run_id_);
    if (!run) return fail(run.error());
    if (!runs::is_terminal(run->status)) {
      caught_up_ = true;
      return true;
    }
    events = runs_.events(run_id_, last_seq_, kMaxBatchEvents);
    if (!events) return fail(events.error());
    if (events->empty()) {
      json::object end{{"status", runs::status_name(run->status)}};
      end["reason"] = run->reason.empty() ? json::value(nullptr) : json::value(run->reason);
      end["exit_code"] = run->exit_code ? json::value(*run->exit_code) : json::value(nullptr);
      out += "event: end\ndata: " + json::serialize(end) + "\n\n";
      return false;
    }
  }
  for (const store::RunEventRecord& e : *events) {
    out += "id: ";
    out += std::to_string(e.seq);
    out += "\nevent: engine\ndata: ";
    out += e.line;
    out += "\n\n";
    last_seq_ = e.seq;
    if (out.size() >= kMaxBatchBytes) {
      caught_up_ = false;  // the rest of the page is read again at once
      return true;
    }
  }
  // A short page means nothing more was there a moment ago: wait for the feed rather than ask the
  // store again at once. A full page may have more behind it.
  caught_up_ = events->size() < kMaxBatchEvents;
  return true;
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
