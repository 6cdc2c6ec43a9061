// Verification of a stored log: each kind of tampering is reported at the right seq with the right
// reason. The log is 10 events with checkpoints at 4 and 8, as rows the store would hold.
#include "audit/verify.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>

#include "audit/canonical_json.hpp"
#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

using test::es256_key;
using test::keys_of;
using test::kT0;

struct Log {
  std::vector<AuditEvent> events;  // as sealed, for building forgeries
  std::vector<store::AuditRecord> rows;
  std::vector<store::AuditCheckpointRecord> checkpoints;
};

Log sample_log() {
  Log log;
  log.events = test::sealed_chain(10);
  log.rows = test::records_of(log.events);
  for (int seq : {4, 8}) {
    log.checkpoints.push_back(
        test::checkpoint_row(log.events[seq - 1], es256_key(), kT0 + std::chrono::minutes(seq)));
  }
  return log;
}

store::AuditRecord& row(Log& log, std::int64_t seq) {
  for (store::AuditRecord& r : log.rows) {
    if (r.seq == seq) return r;
  }
  throw std::out_of_range("no row");
}

void replace(std::string& s, std::string_view from, std::string_view to) {
  const std::size_t at = s.find(from);
  if (at == std::string::npos) throw std::invalid_argument("not found: " + std::string(from));
  s.replace(at, from.size(), to);
}

void erase_seq(Log& log, std::int64_t seq) {
  std::erase_if(log.rows, [&](const store::AuditRecord& r) { return r.seq == seq; });
}

// Events sealed after `head`, numbered from head.seq + 1, as rows.
std::vector<store::AuditRecord> forged_after(ChainHead head, int count) {
  std::vector<store::AuditRecord> rows;
  for (int i = 0; i < count; ++i) {
    AuditEvent e = test::numbered_event(100 + i);
    head = seal(e, head).value();
    rows.push_back(to_record(e).value());
  }
  return rows;
}

VerifyReport verify(const Log& log) {
  const jose::KeySet keys = keys_of({&es256_key()});
  return verify_log(log.rows, log.checkpoints, keys);
}

TEST(AuditVerify, IntactLogVerifies) {
  const Log log = sample_log();
  const VerifyReport r = verify(log);
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.fault, Fault::kNone);
  EXPECT_EQ(r.bad_seq, 0);
  EXPECT_EQ(r.reason, "");
  EXPECT_EQ(r.events, 10);
  EXPECT_EQ(r.checkpoints, 2);
  EXPECT_EQ(r.signed_seq, 8);
  EXPECT_EQ(r.head, (ChainHead{10, log.events[9].hash}));
}

TEST(AuditVerify, EmptyLogVerifies) {
  const VerifyReport r = verify(Log{});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.events, 0);
  EXPECT_EQ(r.head, ChainHead{});
}

struct Tampering {
  const char* name;
  std::function<void(Log&)> tamper;
  Fault fault;
  std::int64_t bad_seq;
  std::string reason;
};

TEST(AuditVerify, ReportsTheFirstBadSeqAndWhyForEachKindOfTampering) {
  const std::vector<Tampering> cases = {
      {"modified body",
       [](Log& l) { replace(row(l, 6).body, R"("decision":"allow")", R"("decision":"deny")"); },
       Fault::kModified, 6,
       "event 6: its content does not match its hash (the event was modified)"},
      {"modified body and its column",
       [](Log& l) {
         replace(row(l, 6).body, R"("decision":"allow")", R"("decision":"deny")");
         row(l, 6).decision = "deny";
       },
       Fault::kModified, 6,
       "event 6: its content does not match its hash (the event was modified)"},
      {"modified filter column", [](Log& l) { row(l, 6).actor_subject = "user:default/nobody"; },
       Fault::kModified, 6, "event 6: the actor_subject column does not match the body"},
      {"modified type column", [](Log& l) { row(l, 3).type = "auth.failed"; }, Fault::kModified, 3,
       "event 3: the type column does not match the body"},
      {"modified hash column", [](Log& l) { row(l, 3).hash = std::string(64, 'a'); },
       Fault::kModified, 3, "event 3: the hash column does not match the body"},
      {"body rewritten with the same content", [](Log& l) { row(l, 3).body.insert(1, " "); },
       Fault::kModified, 3,
       "event 3: the stored body is not in canonical form (its text was rewritten)"},
      {"deleted event", [](Log& l) { erase_seq(l, 5); }, Fault::kMissing, 5,
       "event 5 is missing (the next stored event is 6)"},
      {"deleted events",
       [](Log& l) {
         erase_seq(l, 5);
         erase_seq(l, 6);
       },
       Fault::kMissing, 5, "events 5 to 6 are missing (the next stored event is 7)"},
      {"deleted first event", [](Log& l) { erase_seq(l, 1); }, Fault::kMissing, 1,
       "event 1 is missing (the next stored event is 2)"},
      {"inserted event that does not link",
       [](Log& l) {
         l.rows.push_back(forged_after(ChainHead{10, std::string(64, 'a')}, 1)[0]);
       },
       Fault::kBrokenLink, 11,
       "event 11: prev_hash is not the hash of event 10 (an event was inserted, removed or "
       "replaced before it)"},
      {"first event that does not start from the genesis",
       [](Log& l) {
         l.rows = forged_after(ChainHead{0, std::string(64, 'a')}, 2);
       },
       Fault::kBrokenLink, 1,
       "event 1: prev_hash is not the genesis value (an event was inserted, removed or replaced "
       "before it)"},
      {"inserted event with the later ones renumbered",
       [](Log& l) {
         for (store::AuditRecord& r : l.rows) {
           if (r.seq >= 5) ++r.seq;
         }
         l.rows.insert(l.rows.begin() + 4, forged_after({4, l.events[3].hash}, 1)[0]);
       },
       Fault::kReordered, 6,
       "event 6: the row holds the event written as seq 5 (events were moved or reordered)"},
      {"swapped events",
       [](Log& l) {
         std::swap(l.rows[2], l.rows[3]);
         std::swap(l.rows[2].seq, l.rows[3].seq);
       },
       Fault::kReordered, 3,
       "event 3: the row holds the event written as seq 4 (events were moved or reordered)"},
      {"duplicated event", [](Log& l) { l.rows.insert(l.rows.begin() + 3, l.rows[2]); },
       Fault::kReordered, 3, "event 3: comes after event 3 (out of order or duplicated)"},
      {"body that is not JSON", [](Log& l) { row(l, 2).body = "{\"seq\":2,"; }, Fault::kMalformed,
       2, "event 2: the body is not valid JSON (incomplete JSON)"},
      {"body with a duplicated member", [](Log& l) { row(l, 3).body.insert(1, "\"seq\":3,"); },
       Fault::kMalformed, 3, "event 3: the body JSON has a duplicate member name \"seq\""},
      {"forged checkpoint signature",
       [](Log& l) {
         std::string& jws = l.checkpoints[0].jws;
         jws[jws.size() - 5] = jws[jws.size() - 5] == 'A' ? 'B' : 'A';
       },
       Fault::kBadCheckpoint, 4,
       "checkpoint at seq 4: the signature does not verify (bad_signature: signature does not "
       "verify)"},
      {"checkpoint columns changed", [](Log& l) { l.checkpoints[0].hash = l.rows[4].hash; },
       Fault::kBadCheckpoint, 4, "checkpoint at seq 4: its columns do not match what it signs"},
      {"checkpoint time changed",
       [](Log& l) { l.checkpoints[1].time = "2026-11-29T04:30:41.124Z"; }, Fault::kBadCheckpoint, 8,
       "checkpoint at seq 8: its columns do not match what it signs"},
      {"checkpoint by an unknown key",
       [](Log& l) { l.checkpoints[1] = test::checkpoint_row(l.events[7], test::eddsa_key(), kT0); },
       Fault::kBadCheckpoint, 8,
       "checkpoint at seq 8: the signature does not verify (unknown_key: no key with kid "
       "\"audit-test-eddsa\")"},
      {"removed tail under a checkpoint",
       [](Log& l) {
         l.checkpoints.push_back(test::checkpoint_row(l.events[9], es256_key(), kT0));
         erase_seq(l, 10);
         erase_seq(l, 9);
       },
       Fault::kTruncated, 9,
       "the log ends at seq 8 but a checkpoint signs seq 10: events 9 to 10 are missing (the tail "
       "was removed)"},
      {"removed last event under a checkpoint",
       [](Log& l) {
         l.checkpoints.push_back(test::checkpoint_row(l.events[9], es256_key(), kT0));
         erase_seq(l, 10);
       },
       Fault::kTruncated, 10,
       "the log ends at seq 9 but a checkpoint signs seq 10: event 10 is missing (the tail was "
       "removed)"},
      {"everything removed under a checkpoint", [](Log& l) { l.rows.clear(); }, Fault::kTruncated,
       1,
       "the log ends at seq 0 but a checkpoint signs seq 4: events 1 to 4 are missing (the tail "
       "was removed)"},
  };
  for (const Tampering& c : cases) {
    Log log = sample_log();
    c.tamper(log);
    const VerifyReport r = verify(log);
    EXPECT_EQ(fault_name(r.fault), fault_name(c.fault)) << c.name << ": " << r.reason;
    EXPECT_EQ(r.bad_seq, c.bad_seq) << c.name;
    EXPECT_EQ(r.reason, c.reason) << c.name;
  }
}

TEST(AuditVerify, ARechainedStretchIsCaughtByTheCheckpointAfterIt) {
  // Someone replaced event 5 and recomputed every hash after it: each event links, but the
  // checkpoint at 8 signed the old hash.
  Log log = sample_log();
  std::vector<AuditEvent> rewritten(log.events.begin() + 4, log.events.end());
  rewritten[0].decision = "allow";
  rewritten[0].type = "authz.decision";
  ASSERT_TRUE(seal_all(rewritten, {4, log.events[3].hash}).ok());
  for (std::size_t i = 0; i < rewritten.size(); ++i)
    log.rows[4 + i] = to_record(rewritten[i]).value();
  const VerifyReport r = verify(log);
  EXPECT_EQ(r.fault, Fault::kCheckpointMismatch);
  EXPECT_EQ(r.bad_seq, 8);
  EXPECT_EQ(r.reason, "checkpoint at seq 8 signs hash " + log.events[7].hash.substr(0, 12) +
                          "... but event 8 has hash " + rewritten[3].hash.substr(0, 12) +
                          "...: events up to it were rewritten");
  EXPECT_EQ(r.events, 8);
  EXPECT_EQ(r.checkpoints, 1);
  EXPECT_EQ(r.signed_seq, 4);
}

TEST(AuditVerify, AnEventThatHashesButIsNotAValidEventIsMalformed) {
  Log log = sample_log();
  boost::json::object json = to_json(test::numbered_event(11));
  json["seq"] = 11;
  json["prev_hash"] = log.events[9].hash;
  json["color"] = "red";
  json["hash"] = event_hash(json).value();
  log.rows.push_back(store::AuditRecord{
      11, "2026-11-29T04:30:52.123Z", "authz.decision", std::nullopt, std::nullopt, std::nullopt,
      canonical_json(json).value(), std::string(json["hash"].as_string())});
  const VerifyReport r = verify(log);
  EXPECT_EQ(r.fault, Fault::kMalformed);
  EXPECT_EQ(r.bad_seq, 11);
  EXPECT_EQ(r.reason,
            "event 11: the body is not a valid audit event (audit event: unknown member "
            "\"color\")");
}

TEST(AuditVerify, RemovedTailAfterTheLastCheckpointIsNotVisible) {
  // The documented limit: without a checkpoint (or an outside copy) beyond it, a removed tail
  // leaves a shorter log that verifies.
  Log log = sample_log();
  erase_seq(log, 10);
  erase_seq(log, 9);
  const VerifyReport r = verify(log);
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.head.seq, 8);
}

TEST(AuditVerify, ABadCheckpointBeyondTheEndIsNotTakenForATruncation) {
  Log log = sample_log();
  store::AuditCheckpointRecord forged = test::checkpoint_row(log.events[9], es256_key(), kT0);
  forged.seq = 20;
  log.checkpoints.push_back(forged);
  const VerifyReport r = verify(log);
  EXPECT_EQ(r.fault, Fault::kBadCheckpoint);
  EXPECT_EQ(r.bad_seq, 20);
  EXPECT_EQ(r.reason, "checkpoint at seq 20: its columns do not match what it signs");
}

TEST(ChainVerifier, ContinuesFromAKnownHeadInPages) {
  const Log log = sample_log();
  const jose::KeySet keys = keys_of({&es256_key()});
  ChainVerifier verifier(keys, ChainHead{5, log.events[4].hash});
  verifier.add_checkpoint(log.checkpoints[0]);  // at 4: before the start, ignored
  verifier.add_checkpoint(log.checkpoints[1]);
  for (std::size_t i = 5; i < log.rows.size(); ++i)
    EXPECT_TRUE(verifier.add_event(log.rows[i]));
  const VerifyReport r = verifier.finish();
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events, 5);
  EXPECT_EQ(r.checkpoints, 1);
  EXPECT_EQ(r.head.seq, 10);
}

TEST(ChainVerifier, RefusesCheckpointsOutOfOrderOrLate) {
  const Log log = sample_log();
  const jose::KeySet keys = keys_of({&es256_key()});
  ChainVerifier verifier(keys);
  verifier.add_checkpoint(log.checkpoints[1]);
  EXPECT_THROW(verifier.add_checkpoint(log.checkpoints[0]), std::invalid_argument);
  ChainVerifier late(keys);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(late.add_event(log.rows[i]));
  EXPECT_THROW(late.add_checkpoint(log.checkpoints[0]), std::invalid_argument);
}

}  // namespace
}  // namespace sg::audit
