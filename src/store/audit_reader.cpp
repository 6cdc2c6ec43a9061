#include "store/audit_reader.hpp"

#include <algorithm>

#include "store/store.hpp"

namespace sg::store {
namespace {

void assign_optional(std::optional<std::string>& to, const std::optional<std::string_view>& from) {
  if (!from) {
    to.reset();
  } else if (to) {
    to->assign(*from);
  } else {
    to.emplace(*from);
  }
}

}  // namespace

void assign_row(AuditRecord& record, const AuditRowView& row) {
  record.seq = row.seq;
  record.time.assign(row.time);
  record.type.assign(row.type);
  assign_optional(record.actor_subject, row.actor_subject);
  assign_optional(record.stack, row.stack);
  assign_optional(record.decision, row.decision);
  record.body.assign(row.body);
  record.hash.assign(row.hash);
}

Status PagedAuditReader::read(std::int64_t after_seq, std::int64_t through_seq,
                              const std::function<void(const AuditRowView&)>& each) {
  AuditQuery query;
  query.after_seq = after_seq;
  while (query.after_seq < through_seq) {
    // Seqs are distinct: at most through_seq - after_seq rows are in the range.
    query.limit = static_cast<std::size_t>(
        std::min<std::int64_t>(through_seq - query.after_seq, kMaxAuditPage));
    if (Status s = store_.read_audit_into(query, rows_); !s) return s;
    for (const AuditRecord& row : rows_) {
      if (row.seq > through_seq) return {};
      each(view_of(row));
    }
    if (rows_.size() < query.limit) return {};
    query.after_seq = rows_.back().seq;
  }
  return {};
}

}  // namespace sg::store
