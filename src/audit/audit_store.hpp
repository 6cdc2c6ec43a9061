// AuditStore keeps the audit log in the Store: it turns sealed events into rows and back, reads
// them with filters, keeps checkpoints, and verifies the stored chain page by page.
//
// It adds no state of its own: the stored head is the truth, and append() refuses a batch that
// does not continue it (so two writers can never fork the chain). Owned by the app beside the
// Store it wraps, which must outlive it; the audit writer (coming) appends through it, the HTTP
// and CLI read and verify through it. Thread-safe as the Store is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "audit/chain.hpp"
#include "audit/checkpoint.hpp"
#include "audit/event.hpp"
#include "audit/verify.hpp"
#include "common/result.hpp"
#include "jose/jwks.hpp"
#include "store/audit_records.hpp"
#include "store/store.hpp"

namespace sg::audit {

struct AuditPage {
  std::vector<AuditEvent> events;
  // The cursor (after_seq) for the next page; nothing when fewer than `limit` events matched (a
  // full page may be followed by an empty one).
  std::optional<std::int64_t> next_after;
};

class AuditStore {
 public:
  explicit AuditStore(store::Store& store) : store_(store) {}

  // Appends sealed events in one transaction: durable when this returns OK. The batch must
  // continue the stored chain (events[0].prev_hash is the stored head's hash, each event links to
  // the one before) and every hash must be its event's. Errors: kInvalidArgument (not sealed or not
  // linked), kConflict (the stored head is not where the batch starts), kStoreUnavailable.
  Status append(std::span<const AuditEvent> events);

  // The last stored event, or the genesis head. Errors: kStoreUnavailable.
  Result<ChainHead> head();

  // Events matching `query` (after_seq is the cursor), parsed. Errors: kInvalidArgument (limit),
  // kStoreUnavailable, kInternal (a stored body is not a valid event: run verification).
  Result<AuditPage> read(const store::AuditQuery& query);

  // Stores a signed checkpoint: durable when this returns, or with kWithNextSync when the next
  // Store::sync_audit() returns. Errors: kConflict (one exists at that seq), kStoreUnavailable.
  enum class Durability { kNow, kWithNextSync };
  Status add_checkpoint(const SignedCheckpoint& checkpoint,
                        Durability durability = Durability::kNow);

  // Checkpoints after `after_seq`, in seq order, at most `limit`, as stored (not verified).
  // Errors: kInvalidArgument (limit), kStoreUnavailable, kInternal (a stored time is malformed).
  Result<std::vector<SignedCheckpoint>> checkpoints(std::int64_t after_seq, std::size_t limit);

  // Verifies the whole stored log (audit/verify.hpp) in pages of `page` seqs. The events up to the
  // head when it starts are read and checked each on its own on `threads` threads (0: one per
  // hardware thread), each with a reader of its own (Store::open_audit_reader), and linked in seq
  // order on the calling thread (audit/parallel_reader.hpp); what was appended meanwhile is read
  // after them on the Store's connection. The report is the one verifying event by event would
  // give. Errors: kInvalidArgument (page), kStoreUnavailable, kInternal (a reader thread failed).
  // A tampered log is a report, not an error; a log that could not be read whole is an error.
  Result<VerifyReport> verify(const jose::KeySet& keys, std::size_t page = 1000,
                              unsigned threads = 0);

 private:
  store::Store& store_;
};

}  // namespace sg::audit
