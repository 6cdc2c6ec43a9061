// The rows the store keeps for the audit log: events, signed checkpoints, and the query that reads
// events back.
//
// The store only keeps and finds these rows; what they mean (the event JSON, the hash chain, the
// checkpoint signatures) belongs to the audit layer, which fills and checks them. `body` is the
// event's canonical JSON including its hash; time, type, actor_subject, stack and decision are
// copies of body members, kept as columns so the log can be filtered through indexes, and `hash`
// is a copy of the body's hash so the head can be read without parsing. Times are RFC 3339 UTC
// with milliseconds, as sg::format_rfc3339 writes them, so text order is time order.
// Plain value types; not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.hpp"

namespace sg::store {

struct AuditRecord {
  std::int64_t seq = 0;  // 1, 2, 3… with no gaps
  std::string time;
  std::string type;
  std::optional<std::string> actor_subject;
  std::optional<std::string> stack;
  std::optional<std::string> decision;
  std::string body;
  std::string hash;

  friend bool operator==(const AuditRecord&, const AuditRecord&) = default;
};

// The last stored event: seq 0 and an empty hash when the log is empty.
struct AuditHead {
  std::int64_t seq = 0;
  std::string hash;

  friend bool operator==(const AuditHead&, const AuditHead&) = default;
};

struct AuditCheckpointRecord {
  std::int64_t seq = 0;  // the event the checkpoint covers (and every event before it)
  std::string hash;      // that event's hash
  std::string time;      // when the checkpoint was made
  std::string kid;       // the signing key
  std::string jws;       // the compact JWS over {seq, hash, time}

  friend bool operator==(const AuditCheckpointRecord&, const AuditCheckpointRecord&) = default;
};

inline constexpr std::size_t kMaxAuditPage = 10'000;

// Events in seq order after `after_seq`, at most `limit` (1..kMaxAuditPage) of them, matching every
// filter that is set. `since` is inclusive and `until` exclusive; both compare at the stored
// millisecond precision (a bound with a sub-millisecond part is rounded up to the next
// millisecond, which keeps "inclusive" and "exclusive" exact). String filters match exactly.
struct AuditQuery {
  std::int64_t after_seq = 0;
  std::size_t limit = 100;
  std::optional<Time> since;
  std::optional<Time> until;
  std::optional<std::string> actor_subject;
  std::optional<std::string> stack;
  std::optional<std::string> type;
  std::optional<std::string> decision;
};

}  // namespace sg::store
