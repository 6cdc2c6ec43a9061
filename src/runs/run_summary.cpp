#include "runs/run_summary.hpp"

#include <cmath>
#include <utility>

#include <boost/json/value.hpp>

namespace sg::runs {

std::string_view result_name(RunResult result) {
  switch (result) {
    case RunResult::kUnknown:
      return "unknown";
    case RunResult::kSucceeded:
      return "succeeded";
    case RunResult::kFailed:
      return "failed";
    case RunResult::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

void RunSummary::set_last_error(std::string_view message) {
  std::string text = strip_colors(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.size() > kMaxErrorBytes) {
    std::size_t cut = kMaxErrorBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
    text.resize(cut);
  }
  last_error_ = std::move(text);
}

void RunSummary::add(const EngineEvent& event) {
  ++events_;
  last_sequence_ = event.sequence;
  if (!first_timestamp_) first_timestamp_ = event.timestamp;
  last_timestamp_ = event.timestamp;
  switch (event.kind) {
    case EventKind::kResOutputs:
      if (event.step) ++counted_changes_[event.step->op];
      break;
    case EventKind::kResOpFailed:
      ++failed_steps_;
      break;
    case EventKind::kDiagnostic:
      if (event.diagnostic) {
        switch (event.diagnostic->severity) {
          case Severity::kDebug:
            ++diagnostics_.debug;
            break;
          case Severity::kInfo:
            ++diagnostics_.info;
            break;
          case Severity::kInfoErr:
            ++diagnostics_.info_err;
            break;
          case Severity::kWarning:
            ++diagnostics_.warning;
            break;
          case Severity::kError:
            ++diagnostics_.error;
            set_last_error(event.diagnostic->message);
            break;
          case Severity::kUnknown:
            ++diagnostics_.other;
            break;
        }
      }
      break;
    case EventKind::kError:
      error_event_seen_ = true;
      set_last_error(event.error_message);
      break;
    case EventKind::kSummary:
      summary_ = event.summary;
      break;
    case EventKind::kCancel:
      cancel_event_seen_ = true;
      break;
    case EventKind::kUnknown:
      ++unknown_events_;
      break;
    default:
      break;
  }
}

const std::map<std::string, std::int64_t>& RunSummary::resource_changes() const {
  return summary_ ? summary_->resource_changes : counted_changes_;
}

RunResult RunSummary::result() const {
  if (summary_ && summary_->result) {
    const std::string& r = *summary_->result;
    if (r == "succeeded") return RunResult::kSucceeded;
    if (r == "failed") return RunResult::kFailed;
    if (r == "canceled" || r == "cancelled") return RunResult::kCancelled;
  }
  if (failed_steps_ > 0 || error_event_seen_) return RunResult::kFailed;
  return RunResult::kUnknown;
}

std::optional<bool> RunSummary::is_preview() const {
  return summary_ ? summary_->is_preview : std::nullopt;
}

std::optional<double> RunSummary::duration_seconds() const {
  if (summary_ && summary_->duration_seconds) return summary_->duration_seconds;
  if (first_timestamp_ && last_timestamp_ && *last_timestamp_ >= *first_timestamp_) {
    return static_cast<double>(*last_timestamp_ - *first_timestamp_);
  }
  return std::nullopt;
}

boost::json::object RunSummary::to_json() const {
  namespace bj = boost::json;
  bj::object o;
  o["result"] = result_name(result());
  const auto preview = is_preview();
  o["is_preview"] = preview ? bj::value(*preview) : bj::value(nullptr);
  bj::object changes;
  for (const auto& [op, n] : resource_changes())
    changes[op] = n;
  o["resource_changes"] = std::move(changes);
  o["changes_from"] = changes_from_summary() ? "summary" : "steps";
  o["failed_steps"] = failed_steps_;
  const auto duration = duration_seconds();
  if (!duration) {
    o["duration_seconds"] = nullptr;
  } else if (*duration == std::floor(*duration) && std::abs(*duration) < 1e15) {
    o["duration_seconds"] = static_cast<std::int64_t>(*duration);  // Pulumi writes whole seconds
  } else {
    o["duration_seconds"] = *duration;
  }
  o["diagnostics"] =
      bj::object{{"debug", diagnostics_.debug},       {"info", diagnostics_.info},
                 {"info#err", diagnostics_.info_err}, {"warning", diagnostics_.warning},
                 {"error", diagnostics_.error},       {"other", diagnostics_.other}};
  o["last_error"] = last_error_.empty() ? bj::value(nullptr) : bj::value(last_error_);
  o["cancel_event_seen"] = cancel_event_seen_;
  o["maybe_corrupt"] = maybe_corrupt();
  o["events"] = events_;
  o["unknown_events"] = unknown_events_;
  o["malformed_lines"] = malformed_lines_;
  o["last_sequence"] = last_sequence_ ? bj::value(*last_sequence_) : bj::value(nullptr);
  return o;
}

}  // namespace sg::runs
