// The one-pass reader accepts every body the writer produces, reads the right fields from it, and
// gives up on everything that is not exactly canonical: whatever it accepts, the general path
// (strict parse, from_json, canonical text) accepts as the same bytes.
#include "audit/canonical_event.hpp"

#include <gtest/gtest.h>

#include "audit/canonical_json.hpp"
#include "audit/chain.hpp"
#include "audit/event_text.hpp"
#include "audit/sha256.hpp"
#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

std::string body_of(AuditEvent e) {
  EXPECT_TRUE(seal(e, ChainHead{}).ok());
  return to_record(e).value().body;
}

// Whether the general path takes `body` for a valid event written in canonical form.
bool general_path_accepts(std::string_view body) {
  Result<AuditEvent> e = parse_event(body);
  if (!e) return false;
  Result<EventText> text = event_text(*e);
  return text && with_hash(*text, e->hash) == body;
}

// Reads `body`, checking that what is read agrees with the general path.
std::optional<CanonicalEvent> read_checked(std::string_view body) {
  CanonicalEventReader reader;
  std::optional<CanonicalEvent> read = reader.read(body);
  if (read) {
    EXPECT_TRUE(general_path_accepts(body)) << body;
  }
  return read;
}

void expect_read_as_written(const AuditEvent& unsealed) {
  AuditEvent e = unsealed;
  ASSERT_TRUE(seal(e, ChainHead{}).ok());
  const store::AuditRecord row = to_record(e).value();
  CanonicalEventReader reader;
  std::optional<CanonicalEvent> read = reader.read(row.body);
  ASSERT_TRUE(read.has_value()) << row.body;
  EXPECT_EQ(read->seq, row.seq);
  EXPECT_EQ(read->time, row.time);
  EXPECT_EQ(read->type, row.type);
  EXPECT_EQ(read->actor_subject, row.actor_subject);
  EXPECT_EQ(read->stack, row.stack);
  EXPECT_EQ(read->decision, row.decision);
  EXPECT_EQ(read->prev_hash, e.prev_hash);
  EXPECT_EQ(read->hash, e.hash);
  EXPECT_EQ(sha256_hex({read->prev_hash, read->hashed_parts[0], read->hashed_parts[1]}), e.hash);
}

TEST(CanonicalEventReader, ReadsTheDocumentedExample) {
  expect_read_as_written(test::sample_decision());
}

TEST(CanonicalEventReader, ReadsEveryMemberCombinationTheWriterProduces) {
  // Each bit of `mask` adds one optional member, as in event_text_test.cpp.
  for (unsigned mask = 0; mask < (1u << 10); ++mask) {
    AuditEvent e;
    e.time = test::kT0;
    e.type = "run.finished";
    if (mask & 1u) e.action = "update";
    if (mask & 2u) e.actor = AuditActor{"sam", "corp", "machine", std::nullopt, std::nullopt, {}};
    if ((mask & 2u) && (mask & 4u)) e.actor->act = {"agent:a", "agent:b"};
    if ((mask & 2u) && (mask & 8u)) {
      e.actor->name = "Sam";
      e.actor->email = "";
    }
    if (mask & 16u) e.decision = "deny";
    if (mask & 32u) {
      e.details = {{"jti", "abc"},
                   {"count", -3},
                   {"nested", {{"b", 1}, {"a", true}}},
                   {"list", boost::json::array{nullptr, false, 0, "x", boost::json::object{}}}};
    }
    if (mask & 64u) e.reason = "because";
    if (mask & 128u) e.request = AuditRequest{"req-1", std::nullopt, "ua"};
    if (mask & 256u) e.resource = AuditResource{"acme/pay/prod"};
    if (mask & 512u) e.run_id = "run-9";
    SCOPED_TRACE(mask);
    expect_read_as_written(e);
  }
}

TEST(CanonicalEventReader, ReadsHostileStringsInMembersItDoesNotCompare) {
  AuditEvent e = test::sample_decision();
  e.reason = std::string("quote \" backslash \\ controls \x01\b\f\n\r\t\x1f del \x7f slash / ") +
             "caf\xC3\xA9 \xF0\x9F\x98\x80 \xEE\x80\x80";
  e.request->user_agent = "\",\"hash\":\"forged";
  e.actor->name = "O\"Brien";
  e.details = {{"\xEE\x80\x80", 1},
               {"\xF0\x9F\x98\x80", "\n"},
               {"z", 9007199254740991},
               {"a", -9007199254740991}};
  expect_read_as_written(e);
}

TEST(CanonicalEventReader, LeavesEscapedColumnValuesToTheGeneralPath) {
  for (int which = 0; which < 3; ++which) {
    AuditEvent e = test::sample_decision();
    if (which == 0) e.actor->subject = "user:\"quoted\"";
    if (which == 1) e.resource->stack = "acme\\pay";
    if (which == 2) e.decision = "deny\n";
    const std::string body = body_of(e);
    ASSERT_TRUE(general_path_accepts(body));
    EXPECT_FALSE(CanonicalEventReader().read(body).has_value()) << body;
  }
}

// The documented example's body with `from` replaced by `to`.
std::string variant(std::string_view from, std::string_view to) {
  AuditEvent e = test::sample_decision();
  e.reason = "no rule allows A/B";
  std::string body = body_of(e);
  const std::size_t at = body.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) body.replace(at, from.size(), to);
  return body;
}

TEST(CanonicalEventReader, RefusesEveryDepartureFromTheCanonicalForm) {
  const std::vector<std::pair<std::string, std::string>> departures = {
      {"{\"action\"", "{ \"action\""},                      // whitespace
      {"\"action\":\"update\"", "\"action\": \"update\""},  // whitespace after a colon
      {"\"type\":\"authz.decision\"}", "\"type\":\"authz.decision\"}\n"},  // trailing newline
      {"allows A/B", "allows \\u0041/B"},  // an escape canonical form avoids
      {"allows A/B", "allows A\\/B"},      // an escaped slash
      {"\"action\":\"update\",", "\"action\":\"update\",\"action\":\"update\","},  // duplicate
      {"\"action\":\"update\",", "\"actor2\":1,\"action\":\"update\","},           // out of order
      {"\"decision\":\"deny\",", "\"decision\":\"deny\",\"deleted\":true,"},       // unknown member
      {"\"kind\":\"user\"", "\"kind\":\"user\",\"level\":1"},    // unknown member in actor
      {"\"policy_generation\":3", "\"policy_generation\":3.0"},  // a number with a fraction
      {"\"policy_generation\":3", "\"policy_generation\":3e0"},  // an exponent
      {"\"policy_generation\":3", "\"policy_generation\":-0"},   // negative zero
      {"\"policy_generation\":3", "\"policy_generation\":03"},   // a leading zero
      {"\"policy_generation\":3", "\"policy_generation\":9007199254740992"},  // beyond 2^53 - 1
      {"{\"policy_generation\":3}", "{}"},                                    // empty details
      {"{\"policy_generation\":3}", "{\"b\":1,\"a\":2}"},             // details out of order
      {"{\"policy_generation\":3}", "{\"a\":1,\"a\":1}"},             // duplicate in details
      {"[\"agent:ci-bot\"]", "[]"},                                   // an empty act
      {"[\"agent:ci-bot\"]", "[\"\"]"},                               // an empty agent
      {"\"subject\":\"user:default/jane.doe\"", "\"subject\":\"\""},  // empty subject
      {"\"seq\":1", "\"seq\":0"},                                     // seq below 1
      {"\"seq\":1", "\"seq\":1.0"},                                   // seq with a fraction
      {"\"seq\":1", "\"seq\":\"1\""},                                 // seq as a string
      {".123Z", ".12Z"},             // time not in the written form
      {".123Z", ".123+00:00"},       // time not in UTC form
      {"2026-11-29", "2026-02-30"},  // no such date
      {"\"type\":\"authz.decision\"", "\"type\":\"Authz.Decision\""},  // bad type
      {"\"prev_hash\":\"0000", "\"prev_hash\":\"000"},                 // short prev_hash
      {"no rule", "no\x01rule"},                                       // a raw control character
      {"no rule", "no\xC3rule"},                                       // invalid UTF-8
      {"no rule", "no\\u000arule"},                                    // \n written long
      {"no rule", "no\\u001Frule"},                                    // upper-case hex
  };
  for (const auto& [from, to] : departures) {
    const std::string body = variant(from, to);
    EXPECT_FALSE(read_checked(body).has_value()) << body;
  }
}

TEST(CanonicalEventReader, RefusesTheBodyWithoutItsHashOrPrevHash) {
  AuditEvent e = test::sample_decision();
  ASSERT_TRUE(seal(e, ChainHead{}).ok());
  const std::string without_hash = event_text(e).value().without_hash;
  EXPECT_FALSE(CanonicalEventReader().read(without_hash).has_value());
  EXPECT_FALSE(CanonicalEventReader().read("{}").has_value());
  EXPECT_FALSE(CanonicalEventReader().read("").has_value());
}

// Every small corruption of a body (a byte removed, doubled, changed, or two swapped) is either
// refused or still a body the general path accepts as canonical.
TEST(CanonicalEventReader, NeverAcceptsWhatTheGeneralPathRefuses) {
  AuditEvent hostile = test::sample_decision();
  hostile.reason = "caf\xC3\xA9 \"q\" \\ \x01 \xF0\x9F\x98\x80";
  hostile.details = {{"n", {{"b", boost::json::array{1, -2, nullptr}}, {"a", false}}}, {"s", "x"}};
  AuditEvent minimal;
  minimal.time = test::kT0;
  minimal.type = "policy.reloaded";
  minimal.details = {{"generation", 12}};
  AuditEvent full = test::sample_decision();
  full.actor->name = "Jane";
  full.actor->email = "jane@example.com";
  full.actor->act = {"agent:a", "agent:b"};
  full.run_id = "run-1";
  full.request->user_agent = "a user agent long enough to be scanned sixteen bytes at a time";
  for (const AuditEvent& e : {hostile, minimal, full}) {
    const std::string body = body_of(e);
    ASSERT_TRUE(read_checked(body).has_value()) << body;
    for (std::size_t i = 0; i < body.size(); ++i) {
      std::vector<std::string> corrupt(7, body);
      corrupt[0].erase(i, 1);
      corrupt[1].insert(i, 1, body[i]);
      corrupt[2][i] = static_cast<char>(body[i] ^ 0x01);
      corrupt[3][i] = static_cast<char>(body[i] ^ 0x20);
      corrupt[4][i] = '\\';
      corrupt[5][i] = ' ';
      if (i + 1 < body.size()) std::swap(corrupt[6][i], corrupt[6][i + 1]);
      for (const std::string& c : corrupt) {
        if (c != body) read_checked(c);
      }
    }
  }
}

}  // namespace
}  // namespace sg::audit
