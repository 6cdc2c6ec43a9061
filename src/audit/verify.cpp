#include "audit/verify.hpp"

#include <algorithm>
#include <future>
#include <optional>
#include <stdexcept>
#include <vector>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "audit/canonical_json.hpp"
#include "audit/checkpoint.hpp"
#include "audit/event_record.hpp"
#include "audit/event_text.hpp"
#include "audit/sha256.hpp"
#include "jose/json_reader.hpp"
#include "jose/sha256.hpp"

namespace sg::audit {
namespace {

namespace bj = boost::json;

std::string seq_text(std::int64_t seq) {
  return std::to_string(seq);
}

// The first 12 characters of a hash, enough to tell two apart in a message.
std::string short_hash(std::string_view hash) {
  return std::string(hash.substr(0, 12)) + "...";
}

}  // namespace

std::string_view fault_name(Fault fault) {
  switch (fault) {
    case Fault::kNone:
      return "ok";
    case Fault::kMissing:
      return "missing";
    case Fault::kReordered:
      return "reordered";
    case Fault::kBrokenLink:
      return "broken_link";
    case Fault::kModified:
      return "modified";
    case Fault::kMalformed:
      return "malformed";
    case Fault::kBadCheckpoint:
      return "bad_checkpoint";
    case Fault::kCheckpointMismatch:
      return "checkpoint_mismatch";
    case Fault::kTruncated:
      return "truncated";
  }
  return "unknown";
}

ChainVerifier::ChainVerifier(const jose::KeySet& keys, ChainHead start)
    : keys_(keys), start_seq_(start.seq) {
  report_.head = std::move(start);
}

void ChainVerifier::add_checkpoint(store::AuditCheckpointRecord checkpoint) {
  if (checkpoint.seq <= start_seq_) return;
  if (checkpoint.seq < last_checkpoint_seq_) {
    throw std::invalid_argument("ChainVerifier: checkpoints must come in ascending seq order");
  }
  if (checkpoint.seq <= report_.head.seq && !failed()) {
    throw std::invalid_argument("ChainVerifier: a checkpoint came after the event it covers");
  }
  last_checkpoint_seq_ = checkpoint.seq;
  pending_.push_back(std::move(checkpoint));
}

bool ChainVerifier::fail(Fault fault, std::int64_t seq, std::string reason) {
  report_.fault = fault;
  report_.bad_seq = seq;
  report_.reason = std::move(reason);
  return false;
}

ChainVerifier::Prechecked ChainVerifier::precheck(const store::AuditRowView& r,
                                                  CanonicalEventReader& reader) {
  const std::optional<CanonicalEvent> e = reader.read(r.body);
  if (!e || e->seq != r.seq || r.time != e->time || r.type != e->type ||
      r.actor_subject != e->actor_subject || r.stack != e->stack || r.decision != e->decision ||
      r.hash != e->hash) {
    return {};
  }
  const jose::Sha256Digest digest =
      jose::sha256({e->prev_hash, e->hashed_parts[0], e->hashed_parts[1]});
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < digest.size(); ++i) {
    if (e->hash[2 * i] != kHex[digest[i] >> 4] || e->hash[2 * i + 1] != kHex[digest[i] & 0xF]) {
      return {};
    }
  }
  return {true, e->prev_hash};
}

bool ChainVerifier::add_event(const store::AuditRecord& record) {
  if (failed()) return false;
  return accept(record, precheck(store::view_of(record), reader_));
}

bool ChainVerifier::add_events(std::span<const store::AuditRecord> records) {
  if (failed()) return false;
  // Below this, a second thread costs more than it saves.
  constexpr std::size_t kSplitAt = 256;
  prechecked_.assign(records.size(), Prechecked{});
  const auto run = [&](std::size_t from, std::size_t to, CanonicalEventReader& reader) {
    for (std::size_t i = from; i < to; ++i)
      prechecked_[i] = precheck(store::view_of(records[i]), reader);
  };
  if (records.size() < kSplitAt) {
    run(0, records.size(), reader_);
  } else {
    const std::size_t half = records.size() / 2;
    std::future<void> helper =
        std::async(std::launch::async, [&] { run(half, records.size(), helper_reader_); });
    run(0, half, reader_);
    helper.get();
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!accept(records[i], prechecked_[i])) return false;
  }
  return true;
}

bool ChainVerifier::add_checked(const CheckedBatch& batch) {
  for (const CheckedBatch::Entry& e : batch.entries_) {
    if (failed()) return false;
    const std::string_view prev_hash(e.prev_hash.data(), e.prev_hash.size());
    if (e.record != CheckedBatch::kNoRecord) {
      const Prechecked prechecked{e.intact, e.intact ? prev_hash : std::string_view()};
      if (!accept(batch.records_[e.record], prechecked)) return false;
      continue;
    }
    if (e.seq != report_.head.seq + 1 || prev_hash != report_.head.hash) {
      throw std::logic_error(
          "ChainVerifier: a checked batch vouched for a link that does not hold");
    }
    if (!advance(e.seq, std::string_view(e.hash.data(), e.hash.size()))) return false;
  }
  return true;
}

void CheckedBatch::clear() {
  entries_.clear();
  records_used_ = 0;
}

void CheckedBatch::add(const store::AuditRowView& row, CanonicalEventReader& reader) {
  const ChainVerifier::Prechecked checked = ChainVerifier::precheck(row, reader);
  Entry& e = entries_.emplace_back();
  e.seq = row.seq;
  e.intact = checked.intact;
  if (e.intact) {
    // Both are 64 hex digits in an intact event.
    std::copy_n(checked.prev_hash.data(), e.prev_hash.size(), e.prev_hash.data());
    std::copy_n(row.hash.data(), e.hash.size(), e.hash.data());
  }
  const Entry* before = entries_.size() > 1 ? &entries_[entries_.size() - 2] : nullptr;
  const bool vouched = e.intact && before != nullptr && before->intact &&
                       e.seq == before->seq + 1 && e.prev_hash == before->hash;
  if (vouched) return;
  if (records_used_ == records_.size()) records_.emplace_back();
  store::assign_row(records_[records_used_], row);
  e.record = records_used_++;
}

bool ChainVerifier::accept(const store::AuditRecord& record, const Prechecked& prechecked) {
  if (failed()) return false;
  if (!check_event(record, prechecked)) return false;
  return advance(record.seq, record.hash);
}

bool ChainVerifier::advance(std::int64_t seq, std::string_view hash) {
  ++report_.events;
  report_.head.seq = seq;
  report_.head.hash.assign(hash);  // into the memory it holds
  while (!pending_.empty() && pending_.front().seq == seq) {
    const store::AuditCheckpointRecord& c = pending_.front();
    std::string signed_hash;
    if (!check_signature(c, signed_hash)) return false;
    if (signed_hash != hash) {
      return fail(Fault::kCheckpointMismatch, c.seq,
                  "checkpoint at seq " + seq_text(c.seq) + " signs hash " +
                      short_hash(signed_hash) + " but event " + seq_text(c.seq) + " has hash " +
                      short_hash(hash) + ": events up to it were rewritten");
    }
    ++report_.checkpoints;
    report_.signed_seq = c.seq;
    pending_.pop_front();
  }
  return true;
}

bool ChainVerifier::intact(const store::AuditRecord& r) const {
  if (r.body.size() > kMaxEventBytes) return false;
  // Parsed into a buffer on the stack: no allocation for the object itself. Duplicate members
  // and every other departure from the canonical form show up as a text that differs below.
  unsigned char buffer[32 * 1024];
  bj::monotonic_resource arena(buffer, sizeof buffer);
  bj::parse_options options;
  options.max_depth = kMaxCanonicalDepth;
  boost::system::error_code ec;
  bj::value json = bj::parse(r.body, ec, &arena, options);
  if (ec || !json.is_object()) return false;
  Result<AuditEvent> event = from_json(json.get_object());
  if (!event || event->seq != r.seq || event->prev_hash != report_.head.hash) return false;
  // Its canonical text, straight from its fields (audit/event_text.hpp): the same bytes as
  // canonicalising the parsed object.
  Result<EventText> text = event_text(*event);
  if (!text) return false;
  if (sha256_hex({std::string_view(event->prev_hash), text->without_hash}) != event->hash) {
    return false;
  }
  return with_hash(*text, event->hash) == r.body && !differing_column(r, *event);
}

bool ChainVerifier::check_event(const store::AuditRecord& r, const Prechecked& prechecked) {
  const std::int64_t expected = report_.head.seq + 1;
  // Built only for a message: most events pass.
  const auto at = [&r] { return "event " + seq_text(r.seq) + ": "; };
  if (r.seq > expected) {
    if (r.seq == expected + 1) {
      return fail(Fault::kMissing, expected,
                  "event " + seq_text(expected) + " is missing (the next stored event is " +
                      seq_text(r.seq) + ")");
    }
    return fail(Fault::kMissing, expected,
                "events " + seq_text(expected) + " to " + seq_text(r.seq - 1) +
                    " are missing (the next stored event is " + seq_text(r.seq) + ")");
  }
  if (r.seq < expected) {
    return fail(
        Fault::kReordered, r.seq,
        at() + "comes after event " + seq_text(report_.head.seq) + " (out of order or duplicated)");
  }

  if (prechecked.intact && prechecked.prev_hash == report_.head.hash) return true;
  if (intact(r)) return true;

  // The general path: finds what is wrong and says so. Messages read "the body is not valid
  // JSON (…)", "the body JSON has a duplicate member…".
  Result<bj::object> json = jose::parse_strict_object(r.body, {kMaxEventBytes, kMaxCanonicalDepth},
                                                      "the body", Errc::kInvalidArgument);
  if (!json) return fail(Fault::kMalformed, r.seq, at() + json.error().message);
  const bj::object& o = *json;

  // Where the event says it belongs, before whether it is intact: a moved event is still intact.
  if (const bj::value* seq = o.if_contains("seq");
      seq != nullptr && seq->is_int64() && seq->get_int64() != r.seq) {
    return fail(Fault::kReordered, r.seq,
                at() + "the row holds the event written as seq " + seq_text(seq->get_int64()) +
                    " (events were moved or reordered)");
  }
  if (const bj::value* prev = o.if_contains("prev_hash");
      prev != nullptr && prev->is_string() && prev->get_string() != report_.head.hash) {
    const std::string before = report_.head.seq == 0
                                   ? "the genesis value"
                                   : "the hash of event " + seq_text(report_.head.seq);
    return fail(Fault::kBrokenLink, r.seq,
                at() + "prev_hash is not " + before +
                    " (an event was inserted, removed or replaced before it)");
  }

  Result<std::string> hash = event_hash(o);
  if (!hash) return fail(Fault::kMalformed, r.seq, at() + hash.error().message);
  const bj::value* stored_hash = o.if_contains("hash");
  if (stored_hash == nullptr || !stored_hash->is_string() || stored_hash->get_string() != *hash) {
    return fail(Fault::kModified, r.seq,
                at() + "its content does not match its hash (the event was modified)");
  }

  Result<AuditEvent> event = from_json(o);
  if (!event) {
    return fail(Fault::kMalformed, r.seq,
                at() + "the body is not a valid audit event (" + event.error().message + ")");
  }
  Result<std::string> canonical = canonical_json(o);
  if (!canonical || *canonical != r.body) {
    return fail(Fault::kModified, r.seq,
                at() + "the stored body is not in canonical form (its text was rewritten)");
  }
  if (std::optional<std::string_view> column = differing_column(r, *event)) {
    return fail(Fault::kModified, r.seq,
                at() + "the " + std::string(*column) + " column does not match the body");
  }
  return true;
}

bool ChainVerifier::check_signature(const store::AuditCheckpointRecord& c,
                                    std::string& signed_hash) {
  const std::string at = "checkpoint at seq " + seq_text(c.seq) + ": ";
  Result<Checkpoint> verified = verify_checkpoint(c.jws, keys_);
  if (!verified) {
    return fail(Fault::kBadCheckpoint, c.seq,
                at + "the signature does not verify (" + std::string(code_name(verified.code())) +
                    ": " + verified.error().message + ")");
  }
  if (verified->seq != c.seq || verified->hash != c.hash ||
      format_rfc3339(verified->time) != c.time) {
    return fail(Fault::kBadCheckpoint, c.seq, at + "its columns do not match what it signs");
  }
  signed_hash = verified->hash;
  return true;
}

VerifyReport ChainVerifier::finish() {
  if (!failed() && !pending_.empty()) {
    const store::AuditCheckpointRecord& c = pending_.front();
    std::string signed_hash;
    if (check_signature(c, signed_hash)) {
      const std::int64_t first_missing = report_.head.seq + 1;
      const std::string missing =
          first_missing == c.seq
              ? "event " + seq_text(c.seq) + " is missing"
              : "events " + seq_text(first_missing) + " to " + seq_text(c.seq) + " are missing";
      fail(Fault::kTruncated, first_missing,
           "the log ends at seq " + seq_text(report_.head.seq) + " but a checkpoint signs seq " +
               seq_text(c.seq) + ": " + missing + " (the tail was removed)");
    }
  }
  return report_;
}

VerifyReport verify_log(std::span<const store::AuditRecord> events,
                        std::span<const store::AuditCheckpointRecord> checkpoints,
                        const jose::KeySet& keys) {
  std::vector<store::AuditCheckpointRecord> sorted(checkpoints.begin(), checkpoints.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.seq < b.seq; });
  ChainVerifier verifier(keys);
  for (store::AuditCheckpointRecord& c : sorted)
    verifier.add_checkpoint(std::move(c));
  // In pages, so the per-page scratch space stays small.
  constexpr std::size_t kPage = 8192;
  for (std::size_t at = 0; at < events.size(); at += kPage) {
    if (!verifier.add_events(events.subspan(at, std::min(kPage, events.size() - at)))) break;
  }
  return verifier.finish();
}

}  // namespace sg::audit
