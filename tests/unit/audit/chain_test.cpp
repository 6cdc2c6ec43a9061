// The hash chain: exactly which bytes are hashed, what seal() sets, and that every change shows.
#include "audit/chain.hpp"

#include <gtest/gtest.h>

#include "audit/canonical_json.hpp"
#include "audit/sha256.hpp"
#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

using test::kT0;
using test::sample_decision;

// docs/audit.md's worked example, computed independently (Python: hashlib.sha256 over the 64 '0'
// characters followed by json.dumps(event, sort_keys=True, separators=(',', ':'))).
constexpr std::string_view kSampleCanonical =
    R"({"action":"update","actor":{"act":["agent:ci-bot"],"issuer":"corp-sso","kind":"user",)"
    R"("subject":"user:default/jane.doe"},"decision":"deny","details":{"policy_generation":3},)"
    R"("prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",)"
    R"("reason":"no rule allows update","request":{"id":"req-1","ip":"10.0.0.7"},)"
    R"("resource":{"stack":"acme/payments/prod"},"seq":1,"time":"2026-11-29T04:30:41.123Z",)"
    R"("type":"authz.decision"})";
constexpr std::string_view kSampleHash =
    "99a4053b457375eb43f82ee84d59d46613b05af0b4d6a00b3d669a01c75dbe1b";

TEST(Sha256, HashesTheConcatenationOfItsParts) {
  EXPECT_EQ(sha256_hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex({"ab", "c"}), sha256_hex({"abc"}));
  EXPECT_EQ(sha256_hex({"abc"}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(is_sha256_hex(kSampleHash));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a')));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'A')));
}

TEST(ChainSeal, HashesPrevHashThenTheCanonicalEventWithoutItsHash) {
  AuditEvent e = sample_decision();
  Result<ChainHead> head = seal(e, {});
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(*canonical_json_without(to_json(e), "hash"), kSampleCanonical);
  EXPECT_EQ(sha256_hex({kGenesisHash, kSampleCanonical}), kSampleHash);
  EXPECT_EQ(e.hash, kSampleHash);
  EXPECT_EQ(*head, (ChainHead{1, std::string(kSampleHash)}));
}

TEST(ChainSeal, NumbersAndLinksEachEventToTheHead) {
  AuditEvent first = test::numbered_event(1);
  AuditEvent second = test::numbered_event(2);
  const ChainHead h1 = seal(first, {}).value();
  const ChainHead h2 = seal(second, h1).value();
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, kGenesisHash);
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_EQ(h2, (ChainHead{2, second.hash}));
  EXPECT_EQ(*event_hash(to_json(second)), second.hash);
}

TEST(ChainSeal, TruncatesTimeToMilliseconds) {
  AuditEvent e = sample_decision();
  e.time = kT0 + std::chrono::microseconds(999);
  ASSERT_TRUE(seal(e, {}).ok());
  EXPECT_EQ(e.time, kT0);
  EXPECT_EQ(e.hash, kSampleHash);
}

TEST(ChainSeal, AnyChangeOfContentOrPositionChangesTheHash) {
  AuditEvent base = sample_decision();
  ASSERT_TRUE(seal(base, {}).ok());
  const std::string hash = base.hash;
  auto rehash = [](AuditEvent e, const ChainHead& head) {
    EXPECT_TRUE(seal(e, head).ok());
    return e.hash;
  };
  AuditEvent changed = sample_decision();
  changed.decision = "allow";
  EXPECT_NE(rehash(changed, {}), hash);
  changed = sample_decision();
  changed.actor->act.clear();
  EXPECT_NE(rehash(changed, {}), hash);
  changed = sample_decision();
  changed.time += std::chrono::milliseconds(1);
  EXPECT_NE(rehash(changed, {}), hash);
  EXPECT_NE(rehash(sample_decision(), ChainHead{0, std::string(64, 'f')}), hash);
  EXPECT_NE(rehash(sample_decision(), ChainHead{7, std::string(kGenesisHash)}), hash);
}

TEST(ChainSeal, HashDoesNotDependOnTheOrderDetailsWereBuiltIn) {
  AuditEvent a = sample_decision();
  a.details = boost::json::object{{"jti", "t-1"}, {"generation", 2}};
  AuditEvent b = sample_decision();
  b.details = boost::json::object{{"generation", 2}, {"jti", "t-1"}};
  ASSERT_TRUE(seal(a, {}).ok());
  ASSERT_TRUE(seal(b, {}).ok());
  EXPECT_EQ(a.hash, b.hash);
}

TEST(ChainSeal, RefusesInvalidEventsAndLeavesThemUnchanged) {
  AuditEvent e = sample_decision();
  e.details = boost::json::object{{"ratio", 0.5}};
  const AuditEvent before = e;
  Result<ChainHead> r = seal(e, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, "cannot canonicalise JSON: a number is not an integer");
  EXPECT_EQ(e, before);

  e = sample_decision();
  e.type = "decision";
  EXPECT_EQ(seal(e, {}).error().message,
            "audit event: type must be lower-case words joined by dots, e.g. authz.decision");
  e = sample_decision();
  e.reason = std::string(kMaxEventBytes, 'x');
  EXPECT_EQ(seal(e, {}).error().message, "audit event: larger than 65536 bytes");
  e = sample_decision();
  e.reason = "bad \xFF byte";
  EXPECT_EQ(seal(e, {}).error().message, "cannot canonicalise JSON: a string is not valid UTF-8");
  e = sample_decision();
  e.actor->subject.clear();
  EXPECT_EQ(seal(e, {}).error().message, "audit event: actor.subject must not be empty");
  e = sample_decision();
  e.time = Time(std::chrono::seconds(-1));
  EXPECT_EQ(seal(e, {}).error().message, "audit event: time must be between 1970 and 2255");
  EXPECT_EQ(seal(e, ChainHead{0, "zz"}).error().message,
            "audit chain: the head is not a valid chain head");
}

TEST(ChainSeal, AcceptsEventsUpToTheSizeLimitWithTheirHash) {
  AuditEvent probe = sample_decision();
  ASSERT_TRUE(seal(probe, {}).ok());
  const std::size_t base = canonical_json(to_json(probe))->size();
  AuditEvent largest = sample_decision();
  largest.reason = *largest.reason + std::string(kMaxEventBytes - base, 'x');
  ASSERT_TRUE(seal(largest, {}).ok());
  const std::string body = *canonical_json(to_json(largest));
  EXPECT_EQ(body.size(), kMaxEventBytes);
  EXPECT_TRUE(parse_event(body).ok());
  AuditEvent too_large = sample_decision();
  too_large.reason = *largest.reason + "x";
  EXPECT_EQ(seal(too_large, {}).error().message, "audit event: larger than 65536 bytes");
}

TEST(ChainSeal, SealAllIsAllOrNothing) {
  std::vector<AuditEvent> events = {test::numbered_event(1), test::numbered_event(2),
                                    test::numbered_event(3)};
  events[2].type = "bad";
  const std::vector<AuditEvent> before = events;
  Result<ChainHead> r = seal_all(events, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "event 3 of 3: audit event: type must be lower-case words joined by dots, e.g. "
            "authz.decision");
  EXPECT_EQ(events, before);
  events[2].type = "authz.decision";
  r = seal_all(events, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->seq, 3);
  EXPECT_EQ(events[2].prev_hash, events[1].hash);
  EXPECT_EQ(r->hash, events[2].hash);
}

}  // namespace
}  // namespace sg::audit
