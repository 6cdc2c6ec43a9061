#include "runs/engine_event.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "runs/samples.hpp"

namespace sg::runs {
namespace {

EngineEvent parse_ok(std::string_view line) {
  auto r = parse_engine_event(line);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message) << "\n" << line;
  return r.ok() ? *r : EngineEvent{};
}

void expect_error(std::string_view line, Errc code, std::string_view message,
                  const EventLimits& limits = {}) {
  auto r = parse_engine_event(line, limits);
  ASSERT_FALSE(r.ok()) << line;
  EXPECT_EQ(r.code(), code);
  EXPECT_EQ(r.error().message, message);
}

TEST(EngineEvent, EveryLineOfThePulumiSamplesParses) {
  SG_READ_SAMPLES_OR_SKIP(samples);
  std::map<std::string, int> kinds;
  std::size_t start = 0;
  int lines = 0;
  while (start < samples.size()) {
    std::size_t nl = samples.find('\n', start);
    if (nl == std::string::npos) nl = samples.size();
    const std::string_view line(samples.data() + start, nl - start);
    start = nl + 1;
    if (line.empty()) continue;
    ++lines;
    auto r = parse_engine_event(line);
    ASSERT_TRUE(r.ok()) << "line " << lines << ": " << r.error().message;
    ++kinds[r->kind_text];
    if (r->kind != EventKind::kUnknown) {
      EXPECT_EQ(kind_name(r->kind), r->kind_text);
    }
  }
  EXPECT_EQ(lines, 40);
  const std::map<std::string, int> expected{
      {"cancelEvent", 5},
      {"diagnosticEvent", 3},
      {"policyAnalyzeStackSummaryEvent", 1},
      {"policyAnalyzeSummaryEvent", 2},
      {"policyEvent", 2},
      {"policyLoadEvent", 1},
      {"policyRemediateSummaryEvent", 2},
      {"preludeEvent", 5},
      {"resOpFailedEvent", 2},
      {"resOutputsEvent", 4},
      {"resourcePreEvent", 8},
      {"summaryEvent", 5},
  };
  EXPECT_EQ(kinds, expected);
}

TEST(EngineEvent, ReadsTheStepOfAResourceEvent) {
  auto e = parse_ok(
      R"({"sequence":670,"timestamp":1717087375,"resourcePreEvent":{"metadata":{"op":"update",)"
      R"("urn":"urn:pulumi:dev::test::a:b:C::x","type":"a:b:C","old":null,"new":{"inputs":)"
      R"({"k":"[secret]"}},"detailedDiff":null,"logical":true,"provider":""},"planning":true}})");
  EXPECT_EQ(e.sequence, 670);
  EXPECT_EQ(e.timestamp, 1717087375);
  EXPECT_EQ(e.kind, EventKind::kResourcePre);
  ASSERT_TRUE(e.step.has_value());
  EXPECT_EQ(e.step->op, "update");
  EXPECT_EQ(e.step->urn, "urn:pulumi:dev::test::a:b:C::x");
  EXPECT_EQ(e.step->type, "a:b:C");
  EXPECT_TRUE(e.step->planning);
  EXPECT_FALSE(e.diagnostic.has_value());
}

TEST(EngineEvent, ReadsDiagnosticsWithEverySeverity) {
  const std::pair<const char*, Severity> cases[] = {
      {"debug", Severity::kDebug},      {"info", Severity::kInfo},
      {"info#err", Severity::kInfoErr}, {"warning", Severity::kWarning},
      {"error", Severity::kError},      {"fatal", Severity::kUnknown}};
  for (const auto& [text, severity] : cases) {
    auto e = parse_ok(std::string(R"({"sequence":1,"timestamp":2,"diagnosticEvent":{"urn":"u",)") +
                      R"("prefix":"p","message":"m\n","color":"raw","severity":")" + text +
                      R"(","ephemeral":true,"futureField":[1]}})");
    ASSERT_TRUE(e.diagnostic.has_value());
    EXPECT_EQ(e.diagnostic->severity, severity) << text;
    EXPECT_EQ(e.diagnostic->severity_text, text);
    EXPECT_EQ(e.diagnostic->message, "m\n");
    EXPECT_EQ(e.diagnostic->urn, "u");
  }
}

TEST(EngineEvent, ReadsSummaryWithAndWithoutResult) {
  auto e = parse_ok(
      R"({"sequence":0,"timestamp":0,"summaryEvent":{"maybeCorrupt":true,"durationSeconds":8,)"
      R"("resourceChanges":{"same":1,"create":2,"odd":"x"},"PolicyPacks":{},"isPreview":false,)"
      R"("result":"failed"}})");
  ASSERT_TRUE(e.summary.has_value());
  EXPECT_EQ(e.summary->resource_changes,
            (std::map<std::string, std::int64_t>{{"create", 2}, {"same", 1}}));
  EXPECT_EQ(e.summary->duration_seconds, 8.0);
  EXPECT_EQ(e.summary->is_preview, false);
  EXPECT_EQ(e.summary->result, "failed");
  EXPECT_TRUE(e.summary->maybe_corrupt);

  auto legacy = parse_ok(R"({"sequence":38,"timestamp":1,"summaryEvent":{"resourceChanges":{}}})");
  ASSERT_TRUE(legacy.summary.has_value());
  EXPECT_FALSE(legacy.summary->is_preview.has_value());
  EXPECT_FALSE(legacy.summary->result.has_value());
  EXPECT_FALSE(legacy.summary->duration_seconds.has_value());
}

TEST(EngineEvent, ReadsErrorEventAndCancelEvent) {
  auto e = parse_ok(R"({"sequence":5,"timestamp":6,"errorEvent":{"error":"boom"}})");
  EXPECT_EQ(e.kind, EventKind::kError);
  EXPECT_EQ(e.error_message, "boom");
  EXPECT_EQ(parse_ok(R"({"sequence":5,"timestamp":6,"cancelEvent":{}})").kind, EventKind::kCancel);
}

TEST(EngineEvent, ToleratesUnknownKindsAndUnknownTopLevelMembers) {
  auto e = parse_ok(
      R"({"sequence":3,"timestamp":4,"startDebuggingEvent":{"config":{}},"extra":true,"n":null})");
  EXPECT_EQ(e.kind, EventKind::kUnknown);
  EXPECT_EQ(e.kind_text, "startDebuggingEvent");
}

TEST(EngineEvent, IgnoresNullKindMembers) {
  auto e = parse_ok(R"({"sequence":1,"timestamp":2,"stdoutEvent":null,"cancelEvent":{}})");
  EXPECT_EQ(e.kind, EventKind::kCancel);
}

TEST(EngineEvent, TreatsWronglyTypedFieldsInsideAKindAsMissing) {
  auto e = parse_ok(
      R"({"sequence":1,"timestamp":2,"resOutputsEvent":{"metadata":{"op":5,"urn":["x"]},"planning":"yes"}})");
  ASSERT_TRUE(e.step.has_value());
  EXPECT_EQ(e.step->op, "");
  EXPECT_EQ(e.step->urn, "");
  EXPECT_FALSE(e.step->planning);
  auto no_metadata = parse_ok(R"({"sequence":1,"timestamp":2,"resOutputsEvent":{}})");
  ASSERT_TRUE(no_metadata.step.has_value());
  EXPECT_EQ(no_metadata.step->op, "");
}

TEST(EngineEvent, RefusesTextThatIsNotOneJsonObject) {
  expect_error("not json", Errc::kInvalidArgument, "engine event is not valid JSON (syntax error)");
  expect_error("[1,2]", Errc::kInvalidArgument, "engine event is not a JSON object");
  expect_error(R"({"sequence":1,"timestamp":2,"cancelEvent":{}} {})", Errc::kInvalidArgument,
               "engine event JSON has trailing data");
  expect_error("", Errc::kInvalidArgument, "engine event is not valid JSON (incomplete JSON)");
}

TEST(EngineEvent, RefusesDuplicateMemberNamesAtAnyDepth) {
  expect_error(R"({"sequence":1,"sequence":2,"timestamp":2,"cancelEvent":{}})",
               Errc::kInvalidArgument,
               R"(engine event JSON has a duplicate member name "sequence")");
  expect_error(
      R"({"sequence":1,"timestamp":2,"resourcePreEvent":{"metadata":{"op":"create","op":"delete"}}})",
      Errc::kInvalidArgument, R"(engine event JSON has a duplicate member name "op")");
}

TEST(EngineEvent, RefusesTwoKindsOrNone) {
  expect_error(R"({"sequence":1,"timestamp":2,"stdoutEvent":{},"cancelEvent":{}})",
               Errc::kInvalidArgument,
               R"(engine event has two kinds, "stdoutEvent" and "cancelEvent")");
  expect_error(R"({"sequence":1,"timestamp":2,"extra":{}})", Errc::kInvalidArgument,
               "engine event has no kind (no member named \"…Event\")");
  expect_error(R"({"sequence":1,"timestamp":2,"cancelEvent":true})", Errc::kInvalidArgument,
               R"(engine event "cancelEvent" is not an object)");
}

TEST(EngineEvent, RefusesAMissingOrNonIntegerFrame) {
  expect_error(R"({"timestamp":2,"cancelEvent":{}})", Errc::kInvalidArgument,
               R"(engine event has no "sequence")");
  expect_error(R"({"sequence":"1","timestamp":2,"cancelEvent":{}})", Errc::kInvalidArgument,
               R"(engine event "sequence" is not an integer)");
  expect_error(R"({"sequence":1,"timestamp":2.5,"cancelEvent":{}})", Errc::kInvalidArgument,
               R"(engine event "timestamp" is not an integer)");
  expect_error(R"({"sequence":1,"timestamp":1e999,"cancelEvent":{}})", Errc::kInvalidArgument,
               "engine event JSON has a number out of range");
}

TEST(EngineEvent, RefusesOversizeLinesAndDeepNesting) {
  const std::string line = R"({"sequence":1,"timestamp":2,"stdoutEvent":{"message":")" +
                           std::string(200, 'x') + R"("}})";
  expect_error(line, Errc::kPayloadTooLarge, "engine event is longer than 100 bytes",
               EventLimits{100, 128});
  EXPECT_TRUE(parse_engine_event(line, EventLimits{line.size(), 128}).ok());
  const std::string deep = R"({"sequence":1,"timestamp":2,"stdoutEvent":{"x":)" +
                           std::string(200, '[') + std::string(200, ']') + "}}";
  expect_error(deep, Errc::kInvalidArgument, "engine event JSON is nested deeper than 128 levels");
}

TEST(EngineEvent, RefusesInvalidUtf8) {
  auto r =
      parse_engine_event("{\"sequence\":1,\"timestamp\":2,\"stdoutEvent\":{\"message\":\"\xff\"}}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
}

TEST(EngineEvent, StripColorsRemovesDirectivesOnly) {
  EXPECT_EQ(strip_colors("<{%fg 1%}>error: <{%reset%}>boom<{%reset%}>\n"), "error: boom\n");
  EXPECT_EQ(strip_colors("a <{% not closed"), "a <{% not closed");
  EXPECT_EQ(strip_colors("x < y"), "x < y");
}

}  // namespace
}  // namespace sg::runs
