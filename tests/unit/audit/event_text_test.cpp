// event_text writes the same bytes as the general canonicaliser over to_json, for every member
// combination and for hostile strings, and places the hash member where it sorts.
#include "audit/event_text.hpp"

#include <gtest/gtest.h>

#include "audit/canonical_json.hpp"
#include "audit/chain.hpp"
#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

// canonical_json(to_json(e)) and the event_text forms of `e`, with and without the hash.
void expect_same_bytes(const AuditEvent& e) {
  Result<EventText> text = event_text(e);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text->without_hash, canonical_json_without(to_json(e), "hash").value());
  EXPECT_EQ(with_hash(*text, e.hash), canonical_json(to_json(e)).value());
}

TEST(EventText, MatchesTheGeneralCanonicaliserForTheDocumentedExample) {
  AuditEvent e = test::sample_decision();
  ASSERT_TRUE(seal(e, ChainHead{}).ok());
  EXPECT_EQ(e.hash, "99a4053b457375eb43f82ee84d59d46613b05af0b4d6a00b3d669a01c75dbe1b");
  expect_same_bytes(e);
}

TEST(EventText, MatchesForEveryMemberCombination) {
  // Each bit of `mask` adds one optional member.
  for (unsigned mask = 0; mask < (1u << 10); ++mask) {
    AuditEvent e;
    e.seq = 7;
    e.time = test::kT0;
    e.type = "run.finished";
    e.prev_hash = std::string(kGenesisHash);
    e.hash = std::string(64, 'a');
    if (mask & 1u) e.action = "update";
    if (mask & 2u) e.actor = AuditActor{"sam", "corp", "machine", std::nullopt, std::nullopt, {}};
    if ((mask & 2u) && (mask & 4u)) e.actor->act = {"agent:a", "agent:b"};
    if ((mask & 2u) && (mask & 8u)) {
      e.actor->name = "Sam";
      e.actor->email = "sam@example.com";
    }
    if (mask & 16u) e.decision = "deny";
    if (mask & 32u) e.details = {{"jti", "abc"}, {"count", 3}, {"nested", {{"b", 1}, {"a", true}}}};
    if (mask & 64u) e.reason = "because";
    if (mask & 128u) e.request = AuditRequest{"req-1", std::nullopt, "ua"};
    if (mask & 256u) e.resource = AuditResource{"acme/pay/prod"};
    if (mask & 512u) e.run_id = "run-9";
    SCOPED_TRACE(mask);
    expect_same_bytes(e);
  }
}

TEST(EventText, MatchesForHostileStrings) {
  AuditEvent e = test::sample_decision();
  e.reason = std::string("quote \" backslash \\ controls \x01\b\f\n\r\t del \x7f slash / ") +
             "caf\xC3\xA9 \xF0\x9F\x98\x80 \xEE\x80\x80";
  e.request->user_agent = "\",\"hash\":\"forged";
  e.details = {{"\xEE\x80\x80", 1}, {"\xF0\x9F\x98\x80", 2}, {"z", 3}};
  ASSERT_TRUE(seal(e, ChainHead{}).ok());
  expect_same_bytes(e);
}

TEST(EventText, RefusesInvalidUtf8LikeTheCanonicaliser) {
  AuditEvent e = test::sample_decision();
  e.reason = "bad \xC3";
  Result<EventText> text = event_text(e);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, "cannot canonicalise JSON: a string is not valid UTF-8");
  EXPECT_FALSE(canonical_json(to_json(e)).ok());
}

TEST(EventText, TheHashMemberGoesFirstWhenNothingSortsBeforeIt) {
  AuditEvent e;
  e.seq = 1;
  e.time = test::kT0;
  e.type = "policy.reloaded";
  e.prev_hash = std::string(kGenesisHash);
  e.hash = std::string(64, 'b');
  Result<EventText> text = event_text(e);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->hash_at, 1u);
  EXPECT_EQ(with_hash(*text, e.hash).substr(0, 9), "{\"hash\":\"");
  expect_same_bytes(e);
}

}  // namespace
}  // namespace sg::audit
