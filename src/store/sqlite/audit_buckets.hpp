// The audit log's bucketed indexes: how audit_events rows are grouped by seq for the indexes on
// type, actor_subject, stack, decision (migration 5) and time (migration 6), and the SQL of the
// one-bucket query that reads them.
//
// Those indexes are on `(seq >> kAuditBucketShift, column)`: an append of a
// few thousand events then inserts its index entries into the newest bucket's small, recent region
// of each index instead of into one random page per distinct actor or stack (16 KiB written per
// page touched, per commit). A filtered read (any filter but the cursor) walks the buckets in seq
// order with one indexed query per bucket (SqliteStore::each_audit_row). The shift is part of the
// schema: the migration's index expressions and the queries must spell the same `seq >> N`, or
// SQLite cannot use the index — changing it needs a new migration that rebuilds the indexes. Plain
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sg::store {

// 4,096 events a bucket, chosen by measurement (docs/benchmarks.md, audit section).
inline constexpr int kAuditBucketShift = 12;
// The bucket expression exactly as the indexes of migrations 5 and 6 spell it.
inline constexpr std::string_view kAuditBucketSql = "seq >> 12";

constexpr bool bucket_sql_matches_shift() {
  constexpr std::string_view prefix = "seq >> ";
  if (kAuditBucketSql.substr(0, prefix.size()) != prefix) return false;
  int n = 0;
  for (char c : kAuditBucketSql.substr(prefix.size())) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  return n == kAuditBucketShift;
}
static_assert(bucket_sql_matches_shift(), "kAuditBucketSql must spell kAuditBucketShift");

constexpr std::int64_t audit_bucket(std::int64_t seq) {
  return seq >> kAuditBucketShift;
}

// Which filters a one-bucket query has; each present one is a bound parameter.
struct AuditBucketFilters {
  bool since = false;
  bool until = false;
  bool actor_subject = false;
  bool stack = false;
  bool type = false;
  bool decision = false;

  bool any_column() const { return actor_subject || stack || type || decision; }
};

// The query for the rows of one bucket: parameters ?1 the bucket, ?2 the cursor (seq > ?2), then
// one per present filter in the order of AuditBucketFilters, then the limit. Columns as
// audit_records.hpp orders them, in seq order. Only fixed fragments are joined.
std::string audit_bucket_query(const AuditBucketFilters& filters);

}  // namespace sg::store
