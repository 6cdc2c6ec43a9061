// The audit event's JSON form: what is written, what is omitted, and what from_json refuses.
#include "audit/event.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "audit/canonical_json.hpp"
#include "audit/chain.hpp"
#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

namespace bj = boost::json;
using test::kT0;
using test::sample_decision;

AuditEvent sealed_sample() {
  AuditEvent e = sample_decision();
  EXPECT_TRUE(seal(e, {}).ok());
  return e;
}

TEST(AuditEventJson, WritesEveryPresentMemberAndRoundTrips) {
  AuditEvent e = sample_decision();
  e.actor->name = "Jane Doe";
  e.actor->email = "jane@example.com";
  e.run_id = "run-7";
  e.request->user_agent = "stackgate-cli/0.1";
  ASSERT_TRUE(seal(e, {}).ok());
  const bj::object json = to_json(e);
  EXPECT_EQ(
      *canonical_json(json),
      R"({"action":"update","actor":{"act":["agent:ci-bot"],"email":"jane@example.com",)"
      R"("issuer":"corp-sso","kind":"user","name":"Jane Doe","subject":"user:default/jane.doe"},)"
      R"("decision":"deny","details":{"policy_generation":3},"hash":")" +
          e.hash +
          R"(","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",)"
          R"("reason":"no rule allows update","request":{"id":"req-1","ip":"10.0.0.7",)"
          R"("user_agent":"stackgate-cli/0.1"},"resource":{"stack":"acme/payments/prod"},)"
          R"("run_id":"run-7","seq":1,"time":"2026-11-29T04:30:41.123Z","type":"authz.decision"})");
  Result<AuditEvent> back = from_json(json);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST(AuditEventJson, OmitsAbsentMembersInsteadOfWritingNull) {
  AuditEvent e;
  e.time = kT0;
  e.type = "policy.reloaded";
  ASSERT_TRUE(seal(e, {}).ok());
  const bj::object json = to_json(e);
  std::vector<std::string> names;
  for (const auto& kv : json)
    names.emplace_back(kv.key());
  EXPECT_EQ(names, (std::vector<std::string>{"seq", "time", "type", "prev_hash", "hash"}));

  e.actor = AuditActor{"sub", "iss", "machine", std::nullopt, std::nullopt, {}};
  e.request = AuditRequest{"r", std::nullopt, std::nullopt};
  const bj::object nested = to_json(e);
  EXPECT_EQ(bj::serialize(nested.at("actor")),
            R"({"subject":"sub","issuer":"iss","kind":"machine"})");
  EXPECT_EQ(bj::serialize(nested.at("request")), R"({"id":"r"})");
  EXPECT_EQ(*from_json(to_json(sealed_sample())), sealed_sample());
}

struct Refusal {
  const char* name;
  const char* member;  // top-level member to set (JSON text), or "" to delete `remove`
  const char* value;
  const char* message;
};

TEST(AuditEventJson, FromJsonRefusesWhatToJsonNeverWrites) {
  const Refusal cases[] = {
      {"unknown member", "color", R"("red")", "audit event: unknown member \"color\""},
      {"unknown nested member", "actor", R"({"subject":"s","issuer":"i","kind":"user","sub":"x"})",
       "audit event: unknown member \"sub\" in actor"},
      {"seq zero", "seq", "0", "audit event: seq must be an integer from 1 to 2^53 - 1"},
      {"seq string", "seq", R"("1")", "audit event: seq must be an integer from 1 to 2^53 - 1"},
      {"seq double", "seq", "1.0", "audit event: seq must be an integer from 1 to 2^53 - 1"},
      {"time without milliseconds", "time", R"("2026-11-29T04:30:41Z")",
       "audit event: time must be RFC 3339 in UTC with milliseconds, e.g. "
       "2026-11-29T04:30:41.123Z"},
      {"time with an offset", "time", R"("2026-11-29T06:30:41.123+02:00")",
       "audit event: time must be RFC 3339 in UTC with milliseconds, e.g. "
       "2026-11-29T04:30:41.123Z"},
      {"type with capitals", "type", R"("Authz.Decision")",
       "audit event: type must be lower-case words joined by dots, e.g. authz.decision"},
      {"type of one word", "type", R"("decision")",
       "audit event: type must be lower-case words joined by dots, e.g. authz.decision"},
      {"null action", "action", "null", "audit event: action must be a string"},
      {"numeric decision", "decision", "1", "audit event: decision must be a string"},
      {"actor not an object", "actor", R"("jane")", "audit event: actor must be an object"},
      {"actor without subject", "actor", R"({"issuer":"i","kind":"user"})",
       "audit event: actor.subject is missing"},
      {"actor with empty kind", "actor", R"({"subject":"s","issuer":"i","kind":""})",
       "audit event: actor.kind must not be empty"},
      {"empty act", "actor", R"({"subject":"s","issuer":"i","kind":"user","act":[]})",
       "audit event: actor.act must be a non-empty array of strings"},
      {"act of numbers", "actor", R"({"subject":"s","issuer":"i","kind":"user","act":[1]})",
       "audit event: actor.act must be a non-empty array of strings"},
      {"resource without stack", "resource", "{}", "audit event: resource.stack is missing"},
      {"request without id", "request", R"({"ip":"10.0.0.1"})",
       "audit event: request.id is missing"},
      {"empty details", "details", "{}", "audit event: details must be a non-empty object"},
      {"details with a double", "details", R"({"ratio":0.5})",
       "audit event: details: cannot canonicalise JSON: a number is not an integer"},
      {"upper-case hash", "hash",
       R"("99A4053B457375EB43F82EE84D59D46613B05AF0B4D6A00B3D669A01C75DBE1B")",
       "audit event: hash must be 64 lower-case hex digits"},
      {"short prev_hash", "prev_hash", R"("00")",
       "audit event: prev_hash must be 64 lower-case hex digits"},
  };
  for (const Refusal& c : cases) {
    bj::object json = to_json(sealed_sample());
    json[c.member] = bj::parse(c.value);
    Result<AuditEvent> e = from_json(json);
    ASSERT_FALSE(e.ok()) << c.name;
    EXPECT_EQ(e.code(), Errc::kInvalidArgument) << c.name;
    EXPECT_EQ(e.error().message, c.message) << c.name;
  }
  for (const char* required : {"seq", "time", "type", "prev_hash", "hash"}) {
    bj::object json = to_json(sealed_sample());
    json.erase(required);
    Result<AuditEvent> e = from_json(json);
    ASSERT_FALSE(e.ok()) << required;
    EXPECT_EQ(e.error().message, "audit event: " + std::string(required) + " is missing");
  }
}

TEST(AuditEventJson, ParseRefusesDuplicateMembersAndOversizedText) {
  const std::string body = *canonical_json(to_json(sealed_sample()));
  EXPECT_TRUE(parse_event(body).ok());
  std::string duplicated = body;
  duplicated.insert(1, R"("decision":"allow",)");
  Result<AuditEvent> dup = parse_event(duplicated);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.code(), Errc::kInvalidArgument);
  EXPECT_NE(dup.error().message.find("duplicate"), std::string::npos) << dup.error().message;

  std::string big = body;
  big.insert(1, R"("reason":")" + std::string(kMaxEventBytes, 'x') + R"(",)");
  EXPECT_EQ(parse_event(big).code(), Errc::kInvalidArgument);
}

TEST(AuditEventType, AcceptsDottedLowerCaseWords) {
  for (const char* t : {"authz.decision", "auth.failed", "run.finished", "catalog.synced",
                        "token.issued", "a.b.c", "x1.y_2"}) {
    EXPECT_TRUE(is_event_type(t)) << t;
  }
  for (const char* t : {"", "authz", ".authz", "authz.", "authz..decision", "Authz.decision",
                        "1run.created", "run.Created", "run-created.x", "run.created "}) {
    EXPECT_FALSE(is_event_type(t)) << t;
  }
  EXPECT_FALSE(is_event_type("a." + std::string(63, 'b')));
}

TEST(AuditCleanText, ReplacesInvalidUtf8AndCutsAtACharacterBoundary) {
  EXPECT_EQ(clean_text("curl/8.0", 64), "curl/8.0");
  EXPECT_EQ(clean_text("a\xFF"
                       "b",
                       64),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(clean_text("caf\xC3\xA9", 4), "caf");  // é would not fit whole
  EXPECT_EQ(clean_text("caf\xC3\xA9", 5), "caf\xC3\xA9");
  EXPECT_EQ(clean_text("", 0), "");
}

}  // namespace
}  // namespace sg::audit
