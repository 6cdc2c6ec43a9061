// AuditReader reads stored audit events by seq range, handing each row to the caller as views
// into the engine's memory instead of copying it: for readers of many rows that look at each once
// (verification, which runs several readers at once, each over its own range).
//
// Store::open_audit_reader makes one. An engine may give it a database connection of its own, so
// that readers on several threads do not queue behind each other or behind the Store's other
// callers; the fallback (PagedAuditReader) reads through Store::read_audit_into. Rows are read as
// committed when read() runs: an append-only log's rows up to a seq read before do not change.
// Owned by its caller, which keeps the Store alive while it uses it. Not thread-safe: one reader
// per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/audit_records.hpp"

namespace sg::store {

class Store;

// One stored event as read: the columns of AuditRecord, as views valid only while the callback
// that received it runs.
struct AuditRowView {
  std::int64_t seq = 0;
  std::string_view time;
  std::string_view type;
  std::optional<std::string_view> actor_subject;
  std::optional<std::string_view> stack;
  std::optional<std::string_view> decision;
  std::string_view body;
  std::string_view hash;
};

// Views of `record`, valid while it is unchanged.
inline AuditRowView view_of(const AuditRecord& record) {
  const auto optional_view = [](const std::optional<std::string>& s) {
    return s ? std::optional<std::string_view>(*s) : std::nullopt;
  };
  return AuditRowView{record.seq,
                      record.time,
                      record.type,
                      optional_view(record.actor_subject),
                      optional_view(record.stack),
                      optional_view(record.decision),
                      record.body,
                      record.hash};
}

// A copy of `row` in `record`, reusing the memory its strings hold.
void assign_row(AuditRecord& record, const AuditRowView& row);

class AuditReader {
 public:
  virtual ~AuditReader() = default;

  // Calls `each` with every stored event whose seq is in (after_seq, through_seq], in seq order.
  // Errors: kStoreUnavailable (the rows handed over before it stand; the range was not read
  // whole).
  virtual Status read(std::int64_t after_seq, std::int64_t through_seq,
                      const std::function<void(const AuditRowView&)>& each) = 0;
};

// The reader of any Store: pages of Store::read_audit_into over the Store's own connection.
class PagedAuditReader final : public AuditReader {
 public:
  explicit PagedAuditReader(Store& store) : store_(store) {}

  Status read(std::int64_t after_seq, std::int64_t through_seq,
              const std::function<void(const AuditRowView&)>& each) override;

 private:
  Store& store_;
  std::vector<AuditRecord> rows_;  // the page read last, kept to reuse its memory
};

}  // namespace sg::store
