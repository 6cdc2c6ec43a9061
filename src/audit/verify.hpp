// Verification of a stored audit log: replays the hash chain over the stored rows and checks each
// signed checkpoint against the event it covers, stopping at the first fault.
//
// For each event, in order: its seq follows the previous one (a gap: kMissing; going back:
// kReordered); its body is strict JSON (kMalformed); the seq inside the body is the row's
// (kReordered — the event was moved); its prev_hash is the previous event's hash (kBrokenLink —
// something was inserted, removed or replaced before it); its hash matches its content
// (kModified); it is a valid event (kMalformed); the body is byte for byte its canonical JSON and
// the indexed columns and hash column agree with it (kModified). A checkpoint is checked when its
// event has passed: its JWS must verify with the given keys and sign what its columns say
// (kBadCheckpoint), and the hash it signs must be the event's (kCheckpointMismatch). At the end, a
// valid checkpoint beyond the last event means the tail was removed (kTruncated).
//
// What this cannot see: events appended after the last checkpoint can be rewritten or dropped by
// someone who can write the store, together with any checkpoint rows they remove; keys and
// checkpoints kept outside the store (sinks, exports) close that gap. A rewritten stretch of the
// chain is reported at the checkpoint that catches it, which may be after the first altered event.
//
// ChainVerifier takes the rows in pages so a large log never has to fit in memory; verify_log is
// the one-call form. The checks of each event on its own can also be done on other threads, into a
// CheckedBatch each, which add_checked then links in order (AuditStore::verify reads and checks
// ranges of the stored log on several threads that way). An event whose body is in the canonical
// form the writer produces is checked in one pass over its text (audit/canonical_event.hpp);
// anything else goes through the general path, which parses it and names the fault, so reports do
// not depend on the path taken. A page given to add_events is checked on two threads: each event on
// its own (text, hash, columns) in parallel, then the links between them in order. Pure (no I/O, no
// clock). Not synchronised: one verifier per thread (add_events joins the thread it starts before
// it returns).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/canonical_event.hpp"
#include "audit/chain.hpp"
#include "jose/jwks.hpp"
#include "store/audit_reader.hpp"
#include "store/audit_records.hpp"

namespace sg::audit {

enum class Fault {
  kNone,
  kMissing,             // a seq is absent: an event was deleted
  kReordered,           // an event is out of order or at another seq than it was written with
  kBrokenLink,          // prev_hash is not the previous event's hash: an event was inserted
  kModified,            // an event's content, body text or columns changed after it was written
  kMalformed,           // a body that is not JSON or not a valid event
  kBadCheckpoint,       // a checkpoint whose signature or columns do not verify
  kCheckpointMismatch,  // a valid checkpoint that signs another hash than the event's
  kTruncated,           // a valid checkpoint names a seq beyond the last event
};

// "missing", "reordered", … ("ok" for kNone).
std::string_view fault_name(Fault fault);

struct VerifyReport {
  Fault fault = Fault::kNone;
  std::int64_t bad_seq = 0;      // the first bad seq; 0 when ok
  std::string reason;            // one plain sentence; empty when ok
  std::int64_t events = 0;       // events verified before the fault (all of them when ok)
  std::int64_t checkpoints = 0;  // checkpoints verified
  std::int64_t signed_seq = 0;   // the seq of the last verified checkpoint; 0 when none
  ChainHead head;                // the last verified event

  bool ok() const { return fault == Fault::kNone; }
};

// Consecutive stored events checked each on its own (text, hash, columns: everything but the
// link to the event before the batch), keeping what ChainVerifier::add_checked needs to link
// them: 128 bytes an event the batch vouches for, the whole row for the others (the first, and
// any that is not intact or does not follow the one before it). Filled on any thread, read by the
// verifier's thread after a hand-over that orders the two (a mutex). Not synchronised.
class CheckedBatch {
 public:
  // Empties the batch, keeping its memory.
  void clear();
  // Checks `row` on its own with `reader` (the calling thread's) and appends what is left to
  // check. Rows come in seq order.
  void add(const store::AuditRowView& row, CanonicalEventReader& reader);

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  std::int64_t last_seq() const { return entries_.back().seq; }  // not empty

 private:
  friend class ChainVerifier;
  static constexpr std::size_t kNoRecord = static_cast<std::size_t>(-1);
  struct Entry {
    std::int64_t seq = 0;
    bool intact = false;
    std::size_t record = kNoRecord;    // into records_, when the batch does not vouch for its link
    std::array<char, 64> prev_hash{};  // when intact
    std::array<char, 64> hash{};       // when intact
  };
  std::vector<Entry> entries_;
  std::vector<store::AuditRecord> records_;  // the first records_used_ are this batch's
  std::size_t records_used_ = 0;
};

class ChainVerifier {
 public:
  // Verifies the events after `start` (the genesis head by default) with checkpoint keys `keys`,
  // which must outlive the verifier.
  explicit ChainVerifier(const jose::KeySet& keys, ChainHead start = {});

  // Queues a checkpoint. Checkpoints come in ascending seq order, each before the event it covers;
  // those at or before `start` are ignored. Throws std::invalid_argument when the order is broken
  // (a caller bug, not a fault of the log).
  void add_checkpoint(store::AuditCheckpointRecord checkpoint);

  // Checks the next stored event; false once a fault was found (later calls do nothing).
  bool add_event(const store::AuditRecord& record);

  // Checks the next stored events in order, as add_event one by one would, with the checks of each
  // event on its own spread over two threads when there are enough of them.
  bool add_events(std::span<const store::AuditRecord> records);

  // Links the events of `batch` (the next stored events, checked on their own) in order, as
  // add_event one by one would. Throws std::logic_error if the batch vouches for a link that does
  // not hold (a bug, not a fault of the log).
  bool add_checked(const CheckedBatch& batch);

  // Ends the verification (checking for a removed tail) and returns the report.
  VerifyReport finish();

  bool failed() const { return report_.fault != Fault::kNone; }
  const ChainHead& head() const { return report_.head; }
  // The seq of the last queued checkpoint (0 when none).
  std::int64_t last_checkpoint_seq() const { return last_checkpoint_seq_; }

 private:
  // What the one-pass reader found about an event on its own: canonical and valid, at the seq of
  // its row, with its hash and columns right. Only its link (`prev_hash`) is left to check.
  struct Prechecked {
    bool intact = false;
    std::string_view prev_hash;  // into the record's body
  };

  friend class CheckedBatch;
  static Prechecked precheck(const store::AuditRowView& row, CanonicalEventReader& reader);
  bool accept(const store::AuditRecord& record, const Prechecked& prechecked);
  // Makes the event (`seq`, `hash`), found to be the next one, the head and checks the
  // checkpoints on it.
  bool advance(std::int64_t seq, std::string_view hash);
  bool fail(Fault fault, std::int64_t seq, std::string reason);
  bool check_event(const store::AuditRecord& record, const Prechecked& prechecked);
  // The fast path for bodies the one-pass reader left: whether `record` is the next event, valid,
  // canonical, with its hash and columns right. False sends it down the general path, which finds
  // and names the fault.
  bool intact(const store::AuditRecord& record) const;
  // Checks the signature and columns of `c`; on success sets `signed_hash`.
  bool check_signature(const store::AuditCheckpointRecord& c, std::string& signed_hash);

  const jose::KeySet& keys_;
  std::int64_t start_seq_;
  std::int64_t last_checkpoint_seq_ = 0;
  std::deque<store::AuditCheckpointRecord> pending_;
  VerifyReport report_;
  CanonicalEventReader reader_;         // this thread's
  CanonicalEventReader helper_reader_;  // the helper thread's, in add_events
  std::vector<Prechecked> prechecked_;  // add_events' results, kept to reuse the memory
};

// Verifies `events` (in the order given) and `checkpoints` (any order) from the genesis.
VerifyReport verify_log(std::span<const store::AuditRecord> events,
                        std::span<const store::AuditCheckpointRecord> checkpoints,
                        const jose::KeySet& keys);

}  // namespace sg::audit
