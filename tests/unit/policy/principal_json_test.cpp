#include "policy/principal_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sg::policy {
namespace {

namespace json = boost::json;

Result<Principal> read(std::string_view text, std::string* field = nullptr) {
  return principal_from_json(json::parse(text), field);
}

// The field an error names, and its message.
using Err = std::pair<std::string, std::string>;

// The error for `text`.
Err error_of(std::string_view text) {
  std::string field = "unset";
  auto r = read(text, &field);
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return {};
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  return {field, r.error().message};
}

TEST(PrincipalFromJson, ReadsEveryField) {
  auto r = read(R"({"subject": "user:default/jane", "issuer": "corp-sso", "kind": "machine",
                    "email": "jane@example.com", "name": "Jane Doe", "team": "payments",
                    "groups": ["engineering", "oncall"], "ownership": ["group:default/payments"],
                    "act": ["agent:copilot"], "claims": {"groups": ["engineering"], "lvl": 3},
                    "scope": "stack:acme/*:read,preview", "expires_at": 1700000000})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->subject, "user:default/jane");
  EXPECT_EQ(r->issuer, "corp-sso");
  EXPECT_EQ(r->kind, PrincipalKind::kMachine);
  EXPECT_EQ(r->email, "jane@example.com");
  EXPECT_EQ(r->name, "Jane Doe");
  EXPECT_EQ(r->team, "payments");
  EXPECT_EQ(r->groups, (std::vector<std::string>{"engineering", "oncall"}));
  EXPECT_EQ(r->ownership, (std::vector<std::string>{"group:default/payments"}));
  EXPECT_EQ(r->act, (std::vector<std::string>{"agent:copilot"}));
  EXPECT_EQ(json::serialize(r->claims), R"({"groups":["engineering"],"lvl":3})");
  ASSERT_TRUE(r->scope.has_value());
  EXPECT_EQ(r->scope->to_string(), "stack:acme/*:read,preview");
  EXPECT_EQ(r->expires_at, 1700000000);
}

TEST(PrincipalFromJson, OnlySubjectGivesAnUnscopedUserWithEmptyFields) {
  auto r = read(R"({"subject": "ci-bot"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->subject, "ci-bot");
  EXPECT_EQ(r->kind, PrincipalKind::kUser);
  EXPECT_EQ(r->issuer, "");
  EXPECT_TRUE(r->groups.empty());
  EXPECT_TRUE(r->claims.empty());
  EXPECT_FALSE(r->scope.has_value());
  EXPECT_EQ(r->expires_at, 0);
}

TEST(PrincipalFromJson, ReadsUserKindAndEmptyStrings) {
  auto r = read(R"({"subject": "s", "kind": "user", "email": "", "groups": []})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, PrincipalKind::kUser);
  EXPECT_EQ(r->email, "");
}

TEST(PrincipalFromJson, RefusesAValueThatIsNotAnObject) {
  EXPECT_EQ(error_of(R"(["subject"])"), Err("", "principal: expected an object, got an array"));
}

TEST(PrincipalFromJson, RequiresSubject) {
  EXPECT_EQ(error_of(R"({"issuer": "corp-sso"})"),
            Err("subject", "subject: missing; it is required"));
}

TEST(PrincipalFromJson, RefusesEmptySubject) {
  EXPECT_EQ(error_of(R"({"subject": ""})"), Err("subject", "subject: must not be empty"));
}

TEST(PrincipalFromJson, RefusesUnknownFieldNamingItWithASuggestion) {
  EXPECT_EQ(error_of(R"({"subject": "s", "grups": ["a"]})"),
            Err("grups", R"(unknown field "grups"; did you mean 'groups'?)"));
}

TEST(PrincipalFromJson, RefusesUnknownFieldWithoutSuggestionWhenNothingIsClose) {
  EXPECT_EQ(error_of(R"({"subject": "s", "department": "x"})"),
            Err("department", R"(unknown field "department")"));
}

TEST(PrincipalFromJson, ShortensALongUnknownFieldName) {
  std::string name(100, 'x');
  auto [field, message] = error_of(R"({"subject": "s", ")" + name + R"(": 1})");
  EXPECT_EQ(field, name);
  EXPECT_EQ(message, "unknown field \"" + std::string(40, 'x') + "\"…");
}

struct WrongType {
  const char* json;
  const char* field;
  const char* message;
};

class PrincipalFromJsonWrongType : public ::testing::TestWithParam<WrongType> {};

TEST_P(PrincipalFromJsonWrongType, NamesTheFieldAndWhatItExpected) {
  const WrongType& c = GetParam();
  EXPECT_EQ(error_of(c.json), Err(c.field, c.message));
}

INSTANTIATE_TEST_SUITE_P(
    EveryField, PrincipalFromJsonWrongType,
    ::testing::Values(
        WrongType{R"({"subject": 7})", "subject", "subject: expected a string, got a number"},
        WrongType{R"({"subject": "s", "issuer": true})", "issuer",
                  "issuer: expected a string, got a boolean"},
        WrongType{R"({"subject": "s", "kind": "robot"})", "kind",
                  R"(kind: expected "user" or "machine")"},
        WrongType{R"({"subject": "s", "kind": 1})", "kind",
                  "kind: expected a string, got a number"},
        WrongType{R"({"subject": "s", "email": null})", "email",
                  "email: expected a string, got null"},
        WrongType{R"({"subject": "s", "name": {}})", "name",
                  "name: expected a string, got an object"},
        WrongType{R"({"subject": "s", "team": ["a"]})", "team",
                  "team: expected a string, got an array"},
        WrongType{R"({"subject": "s", "groups": "engineering"})", "groups",
                  "groups: expected an array of strings, got a string"},
        WrongType{R"({"subject": "s", "groups": ["a", 2]})", "groups",
                  "groups: item 2: expected a string, got a number"},
        WrongType{R"({"subject": "s", "ownership": {}})", "ownership",
                  "ownership: expected an array of strings, got an object"},
        WrongType{R"({"subject": "s", "act": [null]})", "act",
                  "act: item 1: expected a string, got null"},
        WrongType{R"({"subject": "s", "claims": []})", "claims",
                  "claims: expected an object, got an array"},
        WrongType{R"({"subject": "s", "scope": 1})", "scope",
                  "scope: expected a string, got a number"},
        WrongType{R"({"subject": "s", "scope": "read"})", "scope",
                  "scope: scope item 1: expected stack:<glob>:<action>[,<action>]"},
        WrongType{R"({"subject": "s", "expires_at": "soon"})", "expires_at",
                  "expires_at: expected a non-negative integer (seconds since the epoch), got a "
                  "string"},
        WrongType{R"({"subject": "s", "expires_at": -1})", "expires_at",
                  "expires_at: expected a non-negative integer (seconds since the epoch), got a "
                  "negative, fractional or too large number"},
        WrongType{R"({"subject": "s", "expires_at": 1.5})", "expires_at",
                  "expires_at: expected a non-negative integer (seconds since the epoch), got a "
                  "negative, fractional or too large number"}));

TEST(PrincipalFromJson, ReportsTheFirstProblemInFieldOrder) {
  EXPECT_EQ(error_of(R"({"team": 1, "subject": 2})"),
            Err("subject", "subject: expected a string, got a number"));
}

TEST(PrincipalFromJsonBounds, RefusesAStringLongerThanTheBound) {
  std::string long_name(kMaxPrincipalStringBytes + 1, 'n');
  EXPECT_EQ(error_of(R"({"subject": "s", "name": ")" + long_name + R"("})"),
            Err("name", "name: longer than 1024 bytes"));
  std::string at_bound(kMaxPrincipalStringBytes, 'n');
  EXPECT_TRUE(read(R"({"subject": "s", "name": ")" + at_bound + R"("})").ok());
}

TEST(PrincipalFromJsonBounds, RefusesALongListItemNamingItsPosition) {
  std::string long_group(kMaxPrincipalStringBytes + 1, 'g');
  EXPECT_EQ(error_of(R"({"subject": "s", "groups": ["a", ")" + long_group + R"("]})"),
            Err("groups", "groups: item 2: longer than 1024 bytes"));
}

TEST(PrincipalFromJsonBounds, RefusesMoreListItemsThanTheBound) {
  json::array groups;
  for (std::size_t i = 0; i <= kMaxPrincipalListItems; ++i)
    groups.emplace_back("g");
  json::object o{{"subject", "s"}, {"groups", groups}};
  std::string field;
  auto r = principal_from_json(o, &field);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(field, "groups");
  EXPECT_EQ(r.error().message, "groups: at most 256 items");
  groups.pop_back();
  EXPECT_TRUE(principal_from_json(json::object{{"subject", "s"}, {"groups", groups}}).ok());
}

TEST(PrincipalFromJsonBounds, RefusesClaimsNestedDeeperThanTheBound) {
  std::string deep = "1";
  for (std::size_t i = 0; i < kMaxClaimsDepth; ++i)
    deep = "[" + deep + "]";
  EXPECT_EQ(error_of(R"({"subject": "s", "claims": {"c": )" + deep + "}}"),
            Err("claims", "claims: deeper than 16 levels or more than 4096 values"));
  std::string ok = "1";
  for (std::size_t i = 0; i + 1 < kMaxClaimsDepth; ++i)
    ok = "[" + ok + "]";
  EXPECT_TRUE(read(R"({"subject": "s", "claims": {"c": )" + ok + "}}").ok());
}

TEST(PrincipalFromJsonBounds, RefusesClaimsWithMoreValuesThanTheBound) {
  json::array many;
  for (std::size_t i = 0; i < kMaxClaimsValues; ++i)
    many.emplace_back(i);
  std::string field;
  auto r = principal_from_json(
      json::object{{"subject", "s"}, {"claims", json::object{{"many", many}}}}, &field);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(field, "claims");
  many.pop_back();
  many.pop_back();  // the object and the array count too
  EXPECT_TRUE(
      principal_from_json(json::object{{"subject", "s"}, {"claims", json::object{{"many", many}}}})
          .ok());
}

Principal jane() {
  Principal p;
  p.subject = "user:default/jane";
  p.issuer = "corp-sso";
  p.email = "jane@example.com";
  p.name = "Jane";
  p.team = "payments";
  p.groups = {"engineering"};
  p.ownership = {"user:default/jane", "group:default/payments"};
  p.act = {"agent:bot"};
  p.token_id = "jti-1";
  p.expires_at = 1700000000;
  p.claims = json::object{{"groups", json::array{"engineering"}}};
  return p;
}

TEST(PrincipalToJson, WritesTheDerivedFieldsInOrderWithoutClaimsOrTokenId) {
  EXPECT_EQ(
      json::serialize(principal_to_json(jane())),
      R"({"subject":"user:default/jane","issuer":"corp-sso","kind":"user",)"
      R"("email":"jane@example.com","name":"Jane","team":"payments",)"
      R"("groups":["engineering"],"ownership":["user:default/jane","group:default/payments"],)"
      R"("act":["agent:bot"],"expires_at":1700000000})");
}

TEST(PrincipalToJson, WritesMachineKindAndScopeWhenSet) {
  Principal p;
  p.subject = "repo:acme/infra";
  p.kind = PrincipalKind::kMachine;
  p.scope = *Scope::parse("stack:acme/*/dev:preview,read  stack:*:audit");
  json::object o = principal_to_json(p);
  EXPECT_EQ(o.at("kind").as_string(), "machine");
  EXPECT_EQ(o.at("scope").as_string(), "stack:acme/*/dev:read,preview stack:*:audit");
  EXPECT_EQ(o.size(), 11U);
}

TEST(PrincipalJson, WhatTheWriterWritesReadsBack) {
  Principal p = jane();
  p.kind = PrincipalKind::kMachine;
  p.scope = *Scope::parse("stack:acme/payments/*:read");
  auto back = principal_from_json(principal_to_json(p));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(json::serialize(principal_to_json(*back)), json::serialize(principal_to_json(p)));
  EXPECT_TRUE(back->claims.empty());  // not written, so not read back
}

TEST(PrincipalJson, AnActorIsWrittenAndReadBackOneLevelDeep) {
  Principal p = jane();
  Principal agent;
  agent.subject = "agent-7";
  agent.kind = PrincipalKind::kMachine;
  p.actor = std::make_shared<const Principal>(agent);
  p.act = {"agent-7"};
  json::object o = principal_to_json(p);
  EXPECT_EQ(o.at("actor").as_object().at("subject").as_string(), "agent-7");
  auto back = principal_from_json(o);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_NE(back->actor, nullptr);
  EXPECT_EQ(back->actor->subject, "agent-7");
  EXPECT_EQ(back->actor->kind, PrincipalKind::kMachine);

  std::string field;
  auto nested = principal_from_json(
      json::parse(R"({"subject":"s","actor":{"subject":"a","actor":{"subject":"b"}}})"), &field);
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(field, "actor");
  auto bad = principal_from_json(json::parse(R"({"subject":"s","actor":{"subject":5}})"), &field);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(field, "actor.subject");
  EXPECT_EQ(bad.error().message.rfind("actor.subject: ", 0), 0U) << bad.error().message;
}

}  // namespace
}  // namespace sg::policy
