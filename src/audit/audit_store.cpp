#include "audit/audit_store.hpp"

#include <future>

#include <string>

#include "audit/event_record.hpp"
#include "audit/parallel_reader.hpp"
#include "audit/sha256.hpp"

namespace sg::audit {
namespace {

Error unsealed(std::size_t index, std::string_view why) {
  return make_error(Errc::kInvalidArgument,
                    "audit append: event " + std::to_string(index + 1) + " " + std::string(why));
}

}  // namespace

Status AuditStore::append(std::span<const AuditEvent> events) {
  if (events.empty()) return {};
  std::vector<store::AuditRecord> records;
  records.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const AuditEvent& e = events[i];
    if (!is_sha256_hex(e.prev_hash) || !is_sha256_hex(e.hash) || e.seq < 1) {
      return unsealed(i, "is not sealed");
    }
    if (i > 0 && (e.seq != events[i - 1].seq + 1 || e.prev_hash != events[i - 1].hash)) {
      return unsealed(i, "does not follow the one before it");
    }
    const boost::json::object json = to_json(e);
    Result<std::string> hash = event_hash(json);
    if (!hash) return hash.error();
    if (*hash != e.hash) return unsealed(i, "changed after it was sealed");
    Result<store::AuditRecord> record = to_record(e);
    if (!record) return record.error();
    records.push_back(std::move(*record));
  }
  const AuditEvent& first = events.front();
  if (first.seq == 1 && first.prev_hash != kGenesisHash) {
    return unsealed(0, "is the first but does not start from the genesis hash");
  }
  return store_.append_audit(store::AuditHead{first.seq - 1, first.prev_hash}, records);
}

Result<ChainHead> AuditStore::head() {
  Result<store::AuditHead> head = store_.audit_head();
  if (!head) return head.error();
  if (head->seq == 0) return ChainHead{};
  return ChainHead{head->seq, head->hash};
}

Result<AuditPage> AuditStore::read(const store::AuditQuery& query) {
  Result<std::vector<store::AuditRecord>> rows = store_.read_audit(query);
  if (!rows) return rows.error();
  AuditPage page;
  page.events.reserve(rows->size());
  for (const store::AuditRecord& row : *rows) {
    Result<AuditEvent> event = parse_event(row.body);
    if (!event) {
      return make_error(Errc::kInternal, "audit event " + std::to_string(row.seq) +
                                             " in the store is not valid; verify the audit log");
    }
    page.events.push_back(std::move(*event));
  }
  if (!rows->empty() && rows->size() == query.limit) page.next_after = rows->back().seq;
  return page;
}

Status AuditStore::add_checkpoint(const SignedCheckpoint& c, Durability durability) {
  const store::AuditCheckpointRecord row{c.checkpoint.seq, c.checkpoint.hash,
                                         format_rfc3339(c.checkpoint.time), c.kid, c.jws};
  return durability == Durability::kNow ? store_.add_audit_checkpoint(row)
                                        : store_.add_audit_checkpoint_unsynced(row);
}

Result<std::vector<SignedCheckpoint>> AuditStore::checkpoints(std::int64_t after_seq,
                                                              std::size_t limit) {
  Result<std::vector<store::AuditCheckpointRecord>> rows =
      store_.read_audit_checkpoints(after_seq, limit);
  if (!rows) return rows.error();
  std::vector<SignedCheckpoint> out;
  out.reserve(rows->size());
  for (store::AuditCheckpointRecord& row : *rows) {
    Result<Time> time = parse_rfc3339(row.time);
    if (!time) {
      return make_error(Errc::kInternal, "audit checkpoint " + std::to_string(row.seq) +
                                             " in the store has a malformed time");
    }
    out.push_back(SignedCheckpoint{Checkpoint{row.seq, std::move(row.hash), *time},
                                   std::move(row.kid), std::move(row.jws)});
  }
  return out;
}

Result<VerifyReport> AuditStore::verify(const jose::KeySet& keys, std::size_t page,
                                        unsigned threads) {
  if (page == 0 || page > store::kMaxAuditPage) {
    return make_error(Errc::kInvalidArgument,
                      "audit verify: page must be 1 to " + std::to_string(store::kMaxAuditPage));
  }
  ChainVerifier verifier(keys);
  std::int64_t checkpoints_after = 0;
  bool checkpoints_done = false;
  Status checkpoint_error;
  // Queues the next page of checkpoints; false when there are no more.
  auto queue_checkpoints = [&]() -> Status {
    Result<std::vector<store::AuditCheckpointRecord>> rows =
        store_.read_audit_checkpoints(checkpoints_after, page);
    if (!rows) return rows.error();
    if (rows->empty()) checkpoints_done = true;
    for (store::AuditCheckpointRecord& c : *rows) {
      checkpoints_after = c.seq;
      verifier.add_checkpoint(std::move(c));
    }
    return {};
  };

  store::AuditQuery query;
  query.limit = page;
  // The events up to the head as it is now, read and checked on several threads (rows up to it do
  // not change: the log is append-only); the links and checkpoints in seq order on this one.
  Result<store::AuditHead> head = store_.audit_head();
  if (!head) return head.error();
  // A page with no events below the head means events are missing; the reads below find the next
  // stored one, which the report names, however far away it is (a page at a time from here could
  // take forever over a seq moved to 2^62).
  bool gap = false;
  Status read = read_checked(store_, head->seq, page, threads, [&](const CheckedBatch& batch) {
    if (batch.empty()) {
      gap = true;
      return false;
    }
    // Every checkpoint up to the batch's last event is queued before its event is checked.
    while (!checkpoints_done && checkpoints_after < batch.last_seq()) {
      if (Status s = queue_checkpoints(); !s) {
        checkpoint_error = s;
        return false;
      }
    }
    return verifier.add_checked(batch);
  });
  if (!read) return read.error();
  if (!checkpoint_error) return checkpoint_error.error();
  if (verifier.failed()) return verifier.finish();
  // Then what was appended meanwhile (or what follows a gap), a page at a time, the next read ahead
  // on another thread.
  query.after_seq = gap ? verifier.head().seq : head->seq;
  bool looked_beyond = false;            // for the checkpoint beyond the last event read so far
  std::vector<store::AuditRecord> rows;  // the page being verified
  std::vector<store::AuditRecord> ahead_rows;  // the next one, read meanwhile on another thread
  std::future<Status> ahead;                   // (declared last: waited for first on return)
  for (;;) {
    if (ahead.valid()) {
      if (Status s = ahead.get(); !s) return s.error();
      rows.swap(ahead_rows);
    } else if (Status s = store_.read_audit_into(query, rows); !s) {
      return s.error();
    }
    if (rows.empty()) {
      if (looked_beyond) break;
      // At least the first checkpoint beyond the last event, to see a removed tail. A running
      // gateway may have appended events (and a checkpoint) since the read above; it stores a
      // checkpoint only after the events it covers, so one more read finds them and a live log is
      // not taken for a truncated one.
      if (!checkpoints_done && checkpoints_after <= verifier.head().seq) {
        if (Status s = queue_checkpoints(); !s) return s.error();
      }
      looked_beyond = true;
      continue;
    }
    looked_beyond = false;
    query.after_seq = rows.back().seq;
    // An empty page read ahead leads to the checkpoints and one more read, as above.
    ahead = std::async(std::launch::async, [this, query, &ahead_rows] {
      return store_.read_audit_into(query, ahead_rows);
    });
    // Every checkpoint up to this page's last event is queued before its event is checked.
    while (!checkpoints_done && checkpoints_after < rows.back().seq) {
      if (Status s = queue_checkpoints(); !s) return s.error();
    }
    if (!verifier.add_events(rows)) return verifier.finish();
  }
  return verifier.finish();
}

}  // namespace sg::audit
