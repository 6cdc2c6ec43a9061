// EngineEvent is one line of the Pulumi CLI's `--event-log`, reduced to what the gateway uses.
//
// A line is `{"sequence":N,"timestamp":UNIX,"<kind>":{…}}` (../shared/reference/pulumi.md). The
// parser is strict about the frame and tolerant inside it:
//   - refused: a line longer than EventLimits::max_line_bytes (kPayloadTooLarge); text that is not
//     one JSON object, has a duplicate member name at any depth, a non-finite number, invalid
//     UTF-8 or nesting deeper than max_depth (kInvalidArgument); a missing or non-integer
//     `sequence` or `timestamp`; no kind member, or more than one (a kind member is a top-level
//     member whose name ends in "Event" and whose value is not null); a kind whose value is not
//     an object.
//   - tolerated: other top-level members (ignored), kinds this parser does not know (kind
//     kUnknown, raw name kept), unknown or missing fields inside a kind (left empty), fields of
//     the wrong type inside a kind (treated as missing).
// Owner: runs. Pure functions and plain value types; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sg::runs {

enum class EventKind {
  kPrelude,
  kStdout,
  kDiagnostic,
  kResourcePre,
  kResOutputs,
  kResOpFailed,
  kSummary,
  kPolicy,
  kProgress,
  kError,
  kCancel,
  kUnknown,  // any other kind (policyLoadEvent, startDebuggingEvent, a future kind, …)
};

// The wire name of a known kind ("resourcePreEvent"); "unknown" for kUnknown.
std::string_view kind_name(EventKind kind);

enum class Severity { kDebug, kInfo, kInfoErr, kWarning, kError, kUnknown };

// Maps "debug", "info", "info#err", "warning", "error"; anything else is kUnknown.
Severity severity_of(std::string_view text);

// The step of a resourcePreEvent, resOutputsEvent or resOpFailedEvent (`metadata`).
struct Step {
  std::string op;  // "create", "same", "delete-replaced", … as written
  std::string urn;
  std::string type;
  bool planning = false;  // `planning: true`: a preview's planned step
};

struct Diagnostic {
  Severity severity = Severity::kUnknown;
  std::string severity_text;  // as written, e.g. "info#err"
  std::string message;        // as written, colour directives included
  std::string urn;            // empty when the diagnostic is not about a resource
};

struct Summary {
  std::map<std::string, std::int64_t> resource_changes;  // op → count; non-integers skipped
  std::optional<double> duration_seconds;
  std::optional<bool> is_preview;     // absent in older CLIs
  std::optional<std::string> result;  // "succeeded" | "failed" | "canceled"; absent in older CLIs
  bool maybe_corrupt = false;
};

struct EngineEvent {
  std::int64_t sequence = 0;
  std::int64_t timestamp = 0;
  EventKind kind = EventKind::kUnknown;
  std::string kind_text;  // the member name as written, e.g. "policyLoadEvent"

  std::optional<Step> step;              // kResourcePre, kResOutputs, kResOpFailed
  std::optional<Diagnostic> diagnostic;  // kDiagnostic
  std::optional<Summary> summary;        // kSummary
  std::string error_message;             // kError: `error`
};

struct EventLimits {
  std::size_t max_line_bytes = 1024 * 1024;
  std::size_t max_depth = 128;  // program inputs and outputs nest as deep as the program likes
};

// Parses one line (without its newline) under the rules above.
// Errors: kPayloadTooLarge, kInvalidArgument, with a plain message naming the broken rule.
Result<EngineEvent> parse_engine_event(std::string_view line, const EventLimits& limits = {});

// `message` without Pulumi's colour directives (`<{%reset%}>`, `<{%fg 1%}>`, …).
std::string strip_colors(std::string_view message);

}  // namespace sg::runs
