#include "store/sqlite/audit_buckets.hpp"

namespace sg::store {

std::string audit_bucket_query(const AuditBucketFilters& filters) {
  std::string sql =
      "SELECT seq, time, type, actor_subject, stack, decision, body, hash FROM audit_events"
      " WHERE (";
  sql += kAuditBucketSql;
  sql += ") = ?1 AND seq > ?2";
  int next = 3;
  auto add = [&](bool present, std::string_view fragment) {
    if (!present) return;
    sql += fragment;
    sql += std::to_string(next++);
  };
  add(filters.since, " AND time >= ?");
  add(filters.until, " AND time < ?");
  add(filters.actor_subject, " AND actor_subject = ?");
  add(filters.stack, " AND stack = ?");
  add(filters.type, " AND type = ?");
  add(filters.decision, " AND decision = ?");
  sql += " ORDER BY seq LIMIT ?";
  sql += std::to_string(next);
  return sql;
}

}  // namespace sg::store
