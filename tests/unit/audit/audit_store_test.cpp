// The audit log in a real SQLite file: append and read back, filters, checkpoints and keys, and
// every kind of tampering done directly to the file (as someone with the file could) detected by
// verification.
#include "audit/audit_store.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <stdexcept>
#include <utility>

#include <boost/json/serialize.hpp>

#include "audit/checkpoint_keys.hpp"
#include "audit_test_support.hpp"
#include "store/forwarding_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::audit {
namespace {

using store::testing::RawDb;
using store::testing::TempDir;
using test::kT0;

// A Store that runs `hook` once, the first time checkpoints after `trigger_after` (or later) are
// read, then reads on: a running gateway appending behind a verifier's back.
class InterleavingStore final : public store::testing::ForwardingStore {
 public:
  InterleavingStore(store::Store& inner, std::int64_t trigger_after, std::function<void()> hook)
      : ForwardingStore(inner), trigger_after_(trigger_after), hook_(std::move(hook)) {}

  Result<std::vector<store::AuditCheckpointRecord>> read_audit_checkpoints(
      std::int64_t after_seq, std::size_t limit) override {
    if (hook_ && after_seq >= trigger_after_) std::exchange(hook_, nullptr)();
    return ForwardingStore::read_audit_checkpoints(after_seq, limit);
  }

 private:
  std::int64_t trigger_after_;
  std::function<void()> hook_;
};

class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    audit_.reset();
    store_.reset();
    auto opened = store::SqliteStore::open({.path = path_});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    audit_ = std::make_unique<AuditStore>(*store_);
  }

  // Appends events 1..10 in batches of 4, 4 and 2, and checkpoints at 4, 8 and 10 signed with the
  // store's checkpoint key.
  void fill() {
    events_ = test::sealed_chain(10);
    const std::span<const AuditEvent> all(events_);
    ASSERT_TRUE(audit_->append(all.subspan(0, 4)).ok());
    ASSERT_TRUE(audit_->append(all.subspan(4, 4)).ok());
    ASSERT_TRUE(audit_->append(all.subspan(8, 2)).ok());
    auto key = load_or_create_checkpoint_key(*store_, kDefaultCheckpointAlgorithm, kT0);
    ASSERT_TRUE(key.ok()) << key.error().message;
    for (int seq : {4, 8, 10}) {
      const AuditEvent& e = events_[seq - 1];
      auto c =
          sign_checkpoint(make_checkpoint({e.seq, e.hash}, kT0 + std::chrono::minutes(seq)), *key);
      ASSERT_TRUE(c.ok());
      ASSERT_TRUE(audit_->add_checkpoint(*c).ok());
    }
  }

  VerifyReport verify(std::size_t page = 3) {
    auto keys = checkpoint_verification_keys(*store_);
    EXPECT_TRUE(keys.ok());
    auto report = audit_->verify(*keys, page);
    EXPECT_TRUE(report.ok());
    return *report;
  }

  // Runs `sql` on the file behind the store's back, after dropping the append-only triggers (which
  // anyone with the file can do).
  void tamper(const std::string& sql) {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
                       "DROP TRIGGER audit_checkpoints_no_update;"
                       "DROP TRIGGER audit_checkpoints_no_delete;"),
              SQLITE_OK);
    ASSERT_EQ(raw.exec(sql.c_str()), SQLITE_OK) << sql;
  }

  TempDir dir_;
  const std::string path_ = dir_.file("stackgate.db");
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<AuditStore> audit_;
  std::vector<AuditEvent> events_;
};

TEST_F(AuditStoreTest, AppendsAndReadsBackTheSameEvents) {
  fill();
  auto page = audit_->read({});
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->events, events_);
  EXPECT_FALSE(page->next_after.has_value());
  EXPECT_EQ(*audit_->head(), (ChainHead{10, events_[9].hash}));

  open();  // durable: a new connection sees the same log
  EXPECT_EQ(audit_->read({})->events, events_);
  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT body FROM audit_events WHERE seq = 3"), to_record(events_[2])->body);
}

TEST_F(AuditStoreTest, EmptyLogHasTheGenesisHeadAndVerifies) {
  EXPECT_EQ(*audit_->head(), ChainHead{});
  const VerifyReport r = verify();
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events, 0);
}

TEST_F(AuditStoreTest, ReadsFilteredPagesWithACursor) {
  fill();
  store::AuditQuery q;
  q.actor_subject = "user:default/jane.doe";
  q.limit = 2;
  auto page = audit_->read(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 2u);
  EXPECT_EQ(page->events[0].seq, 2);
  EXPECT_EQ(page->events[1].seq, 4);
  ASSERT_EQ(page->next_after, 4);
  q.after_seq = *page->next_after;
  page = audit_->read(q);
  EXPECT_EQ(page->events.size(), 2u);  // 6, 8
  q.after_seq = *page->next_after;
  page = audit_->read(q);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->events.empty());
  EXPECT_FALSE(page->next_after.has_value());

  store::AuditQuery denies;
  denies.decision = "deny";
  denies.stack = "acme/payments/dev";
  denies.since = kT0 + std::chrono::seconds(5);
  page = audit_->read(denies);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0], events_[7]);  // seq 8: jane, deny, dev
}

TEST_F(AuditStoreTest, RefusesBatchesThatDoNotContinueTheStoredChain) {
  fill();
  std::vector<AuditEvent> fork = test::sealed_chain(2);  // from the genesis again
  Status s = audit_->append(fork);
  EXPECT_EQ(s.code(), Errc::kConflict);

  std::vector<AuditEvent> next = {test::numbered_event(11), test::numbered_event(12)};
  ASSERT_TRUE(seal_all(next, {10, events_[9].hash}).ok());
  next[1].reason = "changed after sealing";
  s = audit_->append(next);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "audit append: event 2 changed after it was sealed");

  std::vector<AuditEvent> unsealed = {test::numbered_event(11)};
  EXPECT_EQ(audit_->append(unsealed).error().message, "audit append: event 1 is not sealed");

  std::vector<AuditEvent> unlinked = {events_[9], events_[9]};
  EXPECT_EQ(audit_->append(unlinked).error().message,
            "audit append: event 2 does not follow the one before it");
  EXPECT_EQ(audit_->head()->seq, 10);
}

TEST_F(AuditStoreTest, KeepsCheckpointsAndOneKey) {
  fill();
  auto checkpoints = audit_->checkpoints(0, 10);
  ASSERT_TRUE(checkpoints.ok());
  ASSERT_EQ(checkpoints->size(), 3u);
  EXPECT_EQ((*checkpoints)[1].checkpoint,
            (Checkpoint{8, events_[7].hash, kT0 + std::chrono::minutes(8)}));
  auto keys = checkpoint_verification_keys(*store_);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(keys->keys()[0].kid(), (*checkpoints)[1].kid);
  EXPECT_TRUE(verify_checkpoint((*checkpoints)[1].jws, *keys).ok());
  EXPECT_EQ(audit_->add_checkpoint((*checkpoints)[1]).code(), Errc::kConflict);

  open();  // the key survives and is not replaced
  auto again = load_or_create_checkpoint_key(*store_, jose::Algorithm::kEdDSA, kT0);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kid(), (*checkpoints)[1].kid);
  EXPECT_EQ(again->algorithm(), jose::Algorithm::kES256);
  auto stored = store_->signing_keys(kCheckpointKeyPurpose);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().algorithm, "ES256");
  EXPECT_EQ(stored->front().private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(load_or_create_checkpoint_key(*store_, jose::Algorithm::kRS256, kT0).code(),
            Errc::kInvalidArgument);
}

TEST_F(AuditStoreTest, SealedCheckpointKeysVerifyWithoutTheKeyEncryptionKey) {
  auto kek = keys::KeyEncryptionKey::from_secret(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  ASSERT_TRUE(kek.ok());
  auto key = load_or_create_checkpoint_key(*store_, kDefaultCheckpointAlgorithm, kT0, *kek);
  ASSERT_TRUE(key.ok()) << key.error().message;
  const auto stored = store_->signing_keys(kCheckpointKeyPurpose).value();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored.front().private_pem.find("PRIVATE KEY"), std::string::npos);
  auto keys = checkpoint_verification_keys(*store_);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EXPECT_NE(keys->find(key->kid()), nullptr);
  auto jwks = checkpoint_public_jwks(*store_);
  ASSERT_TRUE(jwks.ok());
  EXPECT_EQ(jwks->at("keys").as_array().size(), 1u);
  // Loading the private key needs the KEK.
  EXPECT_EQ(load_or_create_checkpoint_key(*store_, kDefaultCheckpointAlgorithm, kT0).code(),
            Errc::kInvalidConfig);
}

TEST_F(AuditStoreTest, IntactLogVerifiesAcrossPages) {
  fill();
  for (std::size_t page : {1u, 3u, 4u, 10u, 1000u}) {
    const VerifyReport r = verify(page);
    EXPECT_TRUE(r.ok()) << page << ": " << r.reason;
    EXPECT_EQ(r.events, 10) << page;
    EXPECT_EQ(r.checkpoints, 3) << page;
    EXPECT_EQ(r.signed_seq, 10) << page;
  }
  auto keys = checkpoint_verification_keys(*store_);
  EXPECT_EQ(audit_->verify(*keys, 0).code(), Errc::kInvalidArgument);
}

TEST_F(AuditStoreTest, PublicJwksOfTheCheckpointKeysHoldsNoPrivateMemberAndVerifiesTheLog) {
  auto none = checkpoint_public_jwks(*store_);
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(boost::json::serialize(*none), R"({"keys":[]})");

  fill();
  auto jwks = checkpoint_public_jwks(*store_);
  ASSERT_TRUE(jwks.ok()) << jwks.error().message;
  const boost::json::array& keys = jwks->at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  const boost::json::object& key = keys[0].as_object();
  std::vector<std::string> members;
  for (const auto& kv : key)
    members.emplace_back(kv.key());
  EXPECT_EQ(members, (std::vector<std::string>{"kty", "kid", "use", "alg", "crv", "x", "y"}));
  EXPECT_EQ(key.at("kty"), "EC");
  EXPECT_EQ(key.at("alg"), "ES256");
  EXPECT_EQ(key.at("use"), "sig");
  EXPECT_EQ(key.at("crv"), "P-256");
  EXPECT_EQ(key.at("kid").as_string(), store_->signing_keys(kCheckpointKeyPurpose)->front().kid);

  // What `audit keys` prints is what `audit verify --keys` reads.
  auto pinned = jose::parse_jwks(boost::json::serialize(*jwks));
  ASSERT_TRUE(pinned.ok()) << pinned.error().message;
  EXPECT_TRUE(pinned->skipped.empty());
  auto report = audit_->verify(pinned->keys);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->reason;
  EXPECT_EQ(report->checkpoints, 3);
}

TEST_F(AuditStoreTest, ALogAppendedToWhileVerifyingIsNotTakenForATruncatedOne) {
  events_ = test::sealed_chain(10);
  const std::span<const AuditEvent> all(events_);
  auto key = load_or_create_checkpoint_key(*store_, kDefaultCheckpointAlgorithm, kT0);
  ASSERT_TRUE(key.ok());
  auto checkpoint = [&](int seq) {
    const AuditEvent& e = events_[seq - 1];
    ASSERT_TRUE(
        audit_->add_checkpoint(*sign_checkpoint(make_checkpoint({e.seq, e.hash}, kT0), *key)).ok());
  };
  ASSERT_TRUE(audit_->append(all.subspan(0, 8)).ok());
  checkpoint(4);
  checkpoint(8);
  // Once the verifier has read every event and looks for a checkpoint beyond the last one, the
  // gateway appends events 9 and 10 and signs 10.
  InterleavingStore live(*store_, 8, [&] {
    ASSERT_TRUE(audit_->append(all.subspan(8, 2)).ok());
    checkpoint(10);
  });
  auto keys = checkpoint_verification_keys(*store_);
  ASSERT_TRUE(keys.ok());
  auto report = AuditStore(live).verify(*keys, 3);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ok()) << report->reason;
  EXPECT_EQ(report->events, 10);
  EXPECT_EQ(report->checkpoints, 3);
  EXPECT_EQ(report->signed_seq, 10);
}

TEST_F(AuditStoreTest, PinnedKeysThatDidNotSignTheCheckpointsFailAtTheFirstCheckpoint) {
  fill();
  const jose::KeySet other = test::keys_of({&test::es256_key()});
  auto report = audit_->verify(other);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->fault, Fault::kBadCheckpoint);
  EXPECT_EQ(report->bad_seq, 4);
  EXPECT_EQ(
      report->reason.rfind(
          "checkpoint at seq 4: the signature does not verify (unknown_key: no key with kid", 0),
      0u)
      << report->reason;
  EXPECT_EQ(report->events, 4);
  EXPECT_EQ(report->checkpoints, 0);
  EXPECT_EQ(report->signed_seq, 0);
}

struct FileTampering {
  const char* name;  // a test name suffix
  // The SQL to run on the file, given the events that were appended.
  std::function<std::string(const std::vector<AuditEvent>&)> sql;
  Fault fault;
  std::int64_t bad_seq;
  std::string reason;
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const FileTampering& c, std::ostream* os) {
  *os << c.name;
}

std::function<std::string(const std::vector<AuditEvent>&)> fixed(std::string sql) {
  return [sql](const std::vector<AuditEvent>&) { return sql; };
}

// Renumbers events 5.. to 6.. and inserts, as event 5, a forged event that links to event 4.
std::string insert_forged_event(const std::vector<AuditEvent>& events) {
  AuditEvent forged = test::numbered_event(6);
  forged.decision = "allow";
  if (!seal(forged, {4, events[3].hash}).ok()) throw std::runtime_error("seal");
  const store::AuditRecord r = to_record(forged).value();
  return "UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 5;"
         "UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1005;"
         "INSERT INTO audit_events (seq, time, type, actor_subject, stack, decision, body, hash)"
         " VALUES (5, '" +
         r.time + "', '" + r.type + "', '" + *r.actor_subject + "', '" + *r.stack + "', '" +
         *r.decision + "', '" + r.body + "', '" + r.hash + "')";
}

class AuditStoreTampering : public AuditStoreTest,
                            public ::testing::WithParamInterface<FileTampering> {};

TEST_P(AuditStoreTampering, IsDetectedByVerification) {
  const FileTampering& c = GetParam();
  fill();
  ASSERT_TRUE(verify().ok());
  tamper(c.sql(events_));
  const VerifyReport r = verify();
  EXPECT_EQ(fault_name(r.fault), fault_name(c.fault)) << r.reason;
  EXPECT_EQ(r.bad_seq, c.bad_seq);
  EXPECT_EQ(r.reason, c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    DirectSql, AuditStoreTampering,
    ::testing::Values(
        FileTampering{"ModifiedBody",
                      fixed("UPDATE audit_events SET body = replace(body, '\"decision\":\"allow\"',"
                            " '\"decision\":\"deny\"') WHERE seq = 6"),
                      Fault::kModified, 6,
                      "event 6: its content does not match its hash (the event was modified)"},
        FileTampering{
            "ModifiedFilterColumn",
            fixed("UPDATE audit_events SET actor_subject = 'user:default/nobody' WHERE seq = 6"),
            Fault::kModified, 6, "event 6: the actor_subject column does not match the body"},
        FileTampering{"DeletedEvent", fixed("DELETE FROM audit_events WHERE seq = 5"),
                      Fault::kMissing, 5, "event 5 is missing (the next stored event is 6)"},
        FileTampering{
            "InsertedEvent", insert_forged_event, Fault::kReordered, 6,
            "event 6: the row holds the event written as seq 5 (events were moved or reordered)"},
        FileTampering{
            "ReorderedEvents",
            fixed("UPDATE audit_events SET seq = 1003 WHERE seq = 3;"
                  "UPDATE audit_events SET seq = 3 WHERE seq = 4;"
                  "UPDATE audit_events SET seq = 4 WHERE seq = 1003;"),
            Fault::kReordered, 3,
            "event 3: the row holds the event written as seq 4 (events were moved or reordered)"},
        FileTampering{"TruncatedTail", fixed("DELETE FROM audit_events WHERE seq > 7"),
                      Fault::kTruncated, 8,
                      "the log ends at seq 7 but a checkpoint signs seq 8: event 8 is missing (the "
                      "tail was removed)"},
        FileTampering{"ForgedCheckpointSignature",
                      fixed("UPDATE audit_checkpoints SET jws = substr(jws, 1, length(jws) - 4) ||"
                            " (CASE WHEN substr(jws, -4, 1) = 'A' THEN 'B' ELSE 'A' END) ||"
                            " substr(jws, -3) WHERE seq = 4"),
                      Fault::kBadCheckpoint, 4,
                      "checkpoint at seq 4: the signature does not verify (bad_signature: "
                      "signature does not verify)"},
        FileTampering{"MovedCheckpoint",
                      fixed("UPDATE audit_checkpoints SET seq = 9 WHERE seq = 8"),
                      Fault::kBadCheckpoint, 9,
                      "checkpoint at seq 9: its columns do not match what it signs"}),
    [](const ::testing::TestParamInfo<FileTampering>& param_info) {
      return std::string(param_info.param.name);
    });

// The documented limit: a tail removed together with every checkpoint that covers it leaves a
// shorter log that verifies; only keys and checkpoints kept elsewhere can show it.
TEST_F(AuditStoreTest, TailRemovedWithItsCheckpointsIsNotVisibleFromTheFileAlone) {
  fill();
  tamper("DELETE FROM audit_events WHERE seq > 8; DELETE FROM audit_checkpoints WHERE seq > 8");
  const VerifyReport r = verify();
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.head.seq, 8);
}

}  // namespace
}  // namespace sg::audit
