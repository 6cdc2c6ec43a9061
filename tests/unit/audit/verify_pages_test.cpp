// Verifying a page of events on two threads (ChainVerifier::add_events) reports exactly what
// verifying them one by one reports: the same fault at the same seq with the same reason, for
// intact logs, tampered ones, and bodies the one-pass reader leaves to the general path.
#include <gtest/gtest.h>

#include <functional>

#include "audit/verify.hpp"
#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

constexpr int kEvents = 1200;  // well above the size at which add_events splits the work

struct Log {
  std::vector<AuditEvent> events;
  std::vector<store::AuditRecord> rows;
  std::vector<store::AuditCheckpointRecord> checkpoints;
};

// Events 1..kEvents; those whose number `escaped` holds name a subject with a quote in it, which
// the one-pass reader leaves to the general path.
Log make_log(const std::function<bool(int)>& escaped) {
  Log log;
  ChainHead head;
  for (int i = 1; i <= kEvents; ++i) {
    AuditEvent e = test::numbered_event(i);
    if (escaped(i) && e.actor) e.actor->subject = "user:default/\"quoted\"";
    head = seal(e, head).value();
    log.events.push_back(e);
  }
  log.rows = test::records_of(log.events);
  for (int seq : {300, 600, 900}) {
    log.checkpoints.push_back(test::checkpoint_row(log.events[seq - 1], test::es256_key(),
                                                   test::kT0 + std::chrono::minutes(seq)));
  }
  return log;
}

VerifyReport one_by_one(const Log& log, const jose::KeySet& keys) {
  ChainVerifier verifier(keys);
  for (const store::AuditCheckpointRecord& c : log.checkpoints)
    verifier.add_checkpoint(c);
  for (const store::AuditRecord& r : log.rows) {
    if (!verifier.add_event(r)) break;
  }
  return verifier.finish();
}

void expect_same_report(const Log& log) {
  const jose::KeySet keys = test::keys_of({&test::es256_key()});
  const VerifyReport paged = verify_log(log.rows, log.checkpoints, keys);
  test::expect_same_report(paged, one_by_one(log, keys));
}

bool none(int) {
  return false;
}

TEST(ChainVerifierPages, AnIntactLogVerifiesInPages) {
  const Log log = make_log(none);
  const jose::KeySet keys = test::keys_of({&test::es256_key()});
  const VerifyReport r = verify_log(log.rows, log.checkpoints, keys);
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events, kEvents);
  EXPECT_EQ(r.checkpoints, 3);
  expect_same_report(log);
}

TEST(ChainVerifierPages, BodiesLeftToTheGeneralPathVerifyTheSame) {
  const Log log = make_log([](int i) { return i % 7 == 0; });
  const jose::KeySet keys = test::keys_of({&test::es256_key()});
  EXPECT_TRUE(verify_log(log.rows, log.checkpoints, keys).ok());
  expect_same_report(log);
}

TEST(ChainVerifierPages, ReportsEachTamperingAsOneByOneDoes) {
  const std::vector<std::pair<std::string, std::function<void(Log&)>>> tamperings = {
      {"body edited",
       [](Log& l) { l.rows[700].body.replace(l.rows[700].body.find("update"), 6, "delete"); }},
      {"column edited", [](Log& l) { l.rows[701].stack = "acme/other/prod"; }},
      {"hash column edited", [](Log& l) { l.rows[702].hash = std::string(64, 'a'); }},
      {"row deleted", [](Log& l) { l.rows.erase(l.rows.begin() + 650); }},
      {"rows swapped", [](Log& l) { std::swap(l.rows[800], l.rows[801]); }},
      {"whitespace added", [](Log& l) { l.rows[1000].body.insert(1, " "); }},
      {"body not JSON", [](Log& l) { l.rows[20].body = "{"; }},
      {"tail removed", [](Log& l) { l.rows.resize(850); }},
      {"first event replaced", [](Log& l) { l.rows[0] = l.rows[1]; }},
  };
  for (const auto& [name, tamper] : tamperings) {
    SCOPED_TRACE(name);
    Log log = make_log([](int i) { return i % 11 == 0; });
    tamper(log);
    const jose::KeySet keys = test::keys_of({&test::es256_key()});
    EXPECT_FALSE(verify_log(log.rows, log.checkpoints, keys).ok());
    expect_same_report(log);
  }
}

}  // namespace
}  // namespace sg::audit
