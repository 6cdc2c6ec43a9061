// The rows the store keeps for Pulumi runs: one RunRecord per run (its request, status and outcome)
// and the run's engine events, kept so a finished run's events can be replayed.
//
// The store only keeps and finds these rows; the runs layer gives them meaning (which statuses
// exist, which transitions are allowed, what the JSON columns hold). Times are RFC 3339 UTC with
// milliseconds, as sg::format_rfc3339 writes them; an empty string means "not yet".
// Plain value types; not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sg::store {

struct RunRecord {
  std::string id;              // 32 lowercase hex characters
  std::int64_t queue_seq = 0;  // set by the store on create: 1, 2, 3… in creation order (FIFO)
  std::string stack;           // "org/project/stack"
  std::string operation;       // "preview" | "up" | "refresh" | "destroy"
  std::string status;          // see runs/run_status.hpp
  std::string message;         // the requester's message; may be empty
  std::string requester;       // the requester's subject, for filters
  std::string principal;       // JSON: the requester as the policy saw them (runs/ owns the shape)
  std::string approval;        // JSON: the approval need and approvals so far; empty when none
  std::string created_at;
  std::string updated_at;
  std::string started_at;
  std::string finished_at;
  std::string expires_at;           // awaiting_approval: when the request lapses
  std::string cancel_requested_by;  // subject of whoever asked to cancel; empty when nobody did
  std::int64_t pid = 0;             // the child's process group while running, else 0
  std::optional<int> exit_code;     // the child's exit code, when it exited
  std::string reason;               // why it ended as it did ("stack is locked", …); may be empty
  std::string summary;              // JSON: runs::RunSummary::to_json(); empty until it started

  friend bool operator==(const RunRecord&, const RunRecord&) = default;
};

inline constexpr std::size_t kMaxRunPage = 1000;
// The most statuses one query may ask for (RunQuery::statuses, Store::runs_with_status).
inline constexpr std::size_t kMaxRunStatuses = 16;

// Runs matching every filter that is set, newest first (queue_seq descending), with queue_seq
// below `before_seq` when it is set (the cursor of the next page), at most `limit`
// (1..kMaxRunPage).
struct RunQuery {
  std::optional<std::string> stack;
  std::optional<std::vector<std::string>> statuses;  // any of them (at most kMaxRunStatuses)
  std::optional<std::string> requester;
  std::optional<std::int64_t> before_seq;
  std::size_t limit = 100;
};

// One engine event of a run, as the line the CLI wrote (without the newline). `seq` is the run's
// own numbering (1, 2, 3…), not Pulumi's `sequence`.
struct RunEventRecord {
  std::int64_t seq = 0;
  std::string line;

  friend bool operator==(const RunEventRecord&, const RunEventRecord&) = default;
};

inline constexpr std::size_t kMaxRunEventPage = 10'000;

}  // namespace sg::store
