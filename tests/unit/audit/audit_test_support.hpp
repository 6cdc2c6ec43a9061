// Shared helpers for the audit unit tests: sample events, a sealed chain as stored rows, cached
// checkpoint keys, comparing two verification reports. Test-only; keys are made once per test
// binary and never change afterwards.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "audit/chain.hpp"
#include "audit/checkpoint.hpp"
#include "audit/event.hpp"
#include "audit/event_record.hpp"
#include "audit/verify.hpp"
#include "jose/jwks.hpp"
#include "jose/signing_key.hpp"
#include "store/audit_records.hpp"

namespace sg::audit::test {

// 2026-11-29T04:30:41.123Z
inline Time at_ms(long long ms) {
  return Time(std::chrono::milliseconds(ms));
}
inline const Time kT0 = at_ms(1795926641123);

// The authorization decision used as the worked example in docs/audit.md (not sealed).
inline AuditEvent sample_decision() {
  AuditEvent e;
  e.time = kT0;
  e.type = "authz.decision";
  e.actor = AuditActor{"user:default/jane.doe", "corp-sso", "user", std::nullopt, std::nullopt,
                       {"agent:ci-bot"}};
  e.resource = AuditResource{"acme/payments/prod"};
  e.action = "update";
  e.decision = "deny";
  e.reason = "no rule allows update";
  e.request = AuditRequest{"req-1", "10.0.0.7", std::nullopt};
  e.details = boost::json::object{{"policy_generation", 3}};
  return e;
}

// Event number `i` of a test log: alternating decisions by two subjects on two stacks.
inline AuditEvent numbered_event(int i) {
  AuditEvent e;
  e.time = kT0 + std::chrono::seconds(i);
  e.type = i % 5 == 0 ? "policy.reloaded" : "authz.decision";
  if (i % 5 != 0) {
    e.actor = AuditActor{i % 2 == 0 ? "user:default/jane.doe" : "user:default/sam",
                         "corp-sso",
                         "user",
                         std::nullopt,
                         std::nullopt,
                         {}};
    e.resource = AuditResource{i % 3 == 0 ? "acme/payments/prod" : "acme/payments/dev"};
    e.action = "update";
    e.decision = i % 4 == 0 ? "deny" : "allow";
    e.request = AuditRequest{"req-" + std::to_string(i), std::nullopt, std::nullopt};
  } else {
    e.details = boost::json::object{{"generation", i / 5}};
  }
  return e;
}

// `n` events numbered 1..n, sealed from the genesis.
inline std::vector<AuditEvent> sealed_chain(int n) {
  std::vector<AuditEvent> events;
  ChainHead head;
  for (int i = 1; i <= n; ++i) {
    AuditEvent e = numbered_event(i);
    head = seal(e, head).value();
    events.push_back(std::move(e));
  }
  return events;
}

inline std::vector<store::AuditRecord> records_of(const std::vector<AuditEvent>& events) {
  std::vector<store::AuditRecord> out;
  for (const AuditEvent& e : events)
    out.push_back(to_record(e).value());
  return out;
}

// One ES256 and one EdDSA checkpoint key per binary.
inline const jose::SigningKey& es256_key() {
  static const jose::SigningKey key =
      jose::SigningKey::generate(jose::Algorithm::kES256, "audit-test-es256").value();
  return key;
}
inline const jose::SigningKey& eddsa_key() {
  static const jose::SigningKey key =
      jose::SigningKey::generate(jose::Algorithm::kEdDSA, "audit-test-eddsa").value();
  return key;
}

inline jose::KeySet keys_of(std::initializer_list<const jose::SigningKey*> keys) {
  jose::KeySet set;
  for (const jose::SigningKey* k : keys) {
    if (!set.add(k->verification_key().value()).ok()) throw std::runtime_error("duplicate kid");
  }
  return set;
}

// The stored row of a checkpoint of `event`, signed with `key` at `time`.
inline store::AuditCheckpointRecord checkpoint_row(const AuditEvent& event,
                                                   const jose::SigningKey& key, Time time) {
  const SignedCheckpoint c =
      sign_checkpoint(make_checkpoint({event.seq, event.hash}, time), key).value();
  return store::AuditCheckpointRecord{c.checkpoint.seq, c.checkpoint.hash,
                                      format_rfc3339(c.checkpoint.time), c.kid, c.jws};
}

// `got` says everything `want` says: fault, first bad seq, reason and counts.
inline void expect_same_report(const VerifyReport& got, const VerifyReport& want) {
  EXPECT_EQ(fault_name(got.fault), fault_name(want.fault)) << got.reason;
  EXPECT_EQ(got.bad_seq, want.bad_seq);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.events, want.events);
  EXPECT_EQ(got.checkpoints, want.checkpoints);
  EXPECT_EQ(got.signed_seq, want.signed_seq);
  EXPECT_EQ(got.head, want.head);
}

}  // namespace sg::audit::test
