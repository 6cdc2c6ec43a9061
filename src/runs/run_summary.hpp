// RunSummary folds the engine events of one run into what the runs API and the audit trail show:
// resource changes by op, the result, the duration, diagnostics by severity, the last error, and
// whether the log is complete (the CLI writes cancelEvent as the last line of every run, not only
// of cancelled ones).
//
// Resource changes come from the summaryEvent when there is one; until then (or when the CLI died
// before writing it) they are counted from the steps: each resOutputsEvent counts under its op,
// each resOpFailedEvent counts as a failed step. The result is the summaryEvent's `result`
// ("canceled" and "cancelled" both mean cancelled); without one (older CLIs, or no summary) it is
// failed when a step failed or an errorEvent came, else unknown — the executor then decides from
// the exit code. The duration is the summary's `durationSeconds`, else the span of the events'
// timestamps. The last error is the message of the last error diagnostic or errorEvent, without
// colour directives and bounded to kMaxErrorBytes (cut on a UTF-8 boundary).
//
// Owner: runs. Plain value type, not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "runs/engine_event.hpp"

namespace sg::runs {

enum class RunResult { kUnknown, kSucceeded, kFailed, kCancelled };

// "unknown", "succeeded", "failed", "cancelled".
std::string_view result_name(RunResult result);

struct DiagnosticCounts {
  std::int64_t debug = 0;
  std::int64_t info = 0;
  std::int64_t info_err = 0;  // "info#err": informational text the program wrote to stderr
  std::int64_t warning = 0;
  std::int64_t error = 0;
  std::int64_t other = 0;  // a severity this version does not know
};

class RunSummary {
 public:
  static constexpr std::size_t kMaxErrorBytes = 2048;

  void add(const EngineEvent& event);
  // A line of the log that could not be parsed.
  void add_malformed() { ++malformed_lines_; }

  const std::map<std::string, std::int64_t>& resource_changes() const;
  bool changes_from_summary() const { return summary_.has_value(); }
  std::int64_t failed_steps() const { return failed_steps_; }
  RunResult result() const;
  std::optional<bool> is_preview() const;
  std::optional<double> duration_seconds() const;
  const DiagnosticCounts& diagnostics() const { return diagnostics_; }
  const std::string& last_error() const { return last_error_; }
  bool cancel_event_seen() const { return cancel_event_seen_; }
  bool maybe_corrupt() const { return summary_ && summary_->maybe_corrupt; }
  std::int64_t events() const { return events_; }
  std::int64_t unknown_events() const { return unknown_events_; }
  std::int64_t malformed_lines() const { return malformed_lines_; }
  std::optional<std::int64_t> last_sequence() const { return last_sequence_; }

  // {"result", "is_preview", "resource_changes", "changes_from": "summary"|"steps",
  //  "failed_steps", "duration_seconds", "diagnostics": {"debug","info","info#err","warning",
  //  "error","other"}, "last_error", "cancel_event_seen", "maybe_corrupt", "events",
  //  "unknown_events", "malformed_lines", "last_sequence"}; absent values are null.
  boost::json::object to_json() const;

 private:
  void set_last_error(std::string_view message);

  std::optional<Summary> summary_;
  std::map<std::string, std::int64_t> counted_changes_;
  std::int64_t failed_steps_ = 0;
  bool error_event_seen_ = false;
  DiagnosticCounts diagnostics_;
  std::string last_error_;
  bool cancel_event_seen_ = false;
  std::int64_t events_ = 0;
  std::int64_t unknown_events_ = 0;
  std::int64_t malformed_lines_ = 0;
  std::optional<std::int64_t> last_sequence_;
  std::optional<std::int64_t> first_timestamp_;
  std::optional<std::int64_t> last_timestamp_;
};

}  // namespace sg::runs
