#include "runs/run_summary.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "runs/event_log_reader.hpp"
#include "runs/samples.hpp"
#include "runs/standin_log.hpp"

namespace sg::runs {
namespace {

namespace bj = boost::json;

// Folds a log into one summary per run (a run ends with its cancelEvent).
std::vector<RunSummary> summarise(std::string_view log) {
  EventLogReader reader;
  auto events = reader.feed(log);
  for (auto& e : reader.finish())
    events.push_back(std::move(e));
  std::vector<RunSummary> runs(1);
  for (const auto& line : events) {
    if (!line.event.ok()) {
      runs.back().add_malformed();
      continue;
    }
    runs.back().add(*line.event);
    if (line.event->kind == EventKind::kCancel) runs.emplace_back();
  }
  if (runs.back().events() == 0 && runs.back().malformed_lines() == 0) runs.pop_back();
  return runs;
}

void expect_json(const RunSummary& summary, std::string_view expected) {
  EXPECT_EQ(bj::serialize(summary.to_json()), bj::serialize(bj::parse(expected)));
}

TEST(RunSummary, SummarisesEachRunOfThePulumiSamplesExactly) {
  SG_READ_SAMPLES_OR_SKIP(samples);
  const auto runs = summarise(samples);
  ASSERT_EQ(runs.size(), 5u);
  // A successful update from an older CLI: no result in the summary, nothing failed.
  expect_json(runs[0], R"j({"result":"unknown","is_preview":null,"resource_changes":{"same":1},
    "changes_from":"summary","failed_steps":0,"duration_seconds":1,
    "diagnostics":{"debug":0,"info":0,"info#err":0,"warning":0,"error":0,"other":0},
    "last_error":null,"cancel_event_seen":true,"maybe_corrupt":false,"events":5,
    "unknown_events":0,"malformed_lines":0,"last_sequence":39})j");
  // An older CLI's failed update: a step failed, the summary has no result.
  expect_json(runs[1], R"j({"result":"failed","is_preview":null,"resource_changes":{"same":1},
    "changes_from":"summary","failed_steps":1,"duration_seconds":8,
    "diagnostics":{"debug":0,"info":0,"info#err":0,"warning":0,"error":0,"other":0},
    "last_error":null,"cancel_event_seen":true,"maybe_corrupt":true,"events":9,
    "unknown_events":0,"malformed_lines":0,"last_sequence":33110})j");
  expect_json(runs[2], R"j({"result":"failed","is_preview":false,"resource_changes":{"create":2},
    "changes_from":"summary","failed_steps":0,"duration_seconds":1,
    "diagnostics":{"debug":0,"info":0,"info#err":0,"warning":0,"error":1,"other":0},
    "last_error":"an unhandled error occurred: rpc error: code = InvalidArgument desc = Type 'very:bad' is not a valid type token (must have format '*:*:*')",
    "cancel_event_seen":true,"maybe_corrupt":false,"events":6,
    "unknown_events":0,"malformed_lines":0,"last_sequence":0})j");
  expect_json(runs[3], R"j({"result":"failed","is_preview":false,"resource_changes":{},
    "changes_from":"summary","failed_steps":1,"duration_seconds":1,
    "diagnostics":{"debug":0,"info":0,"info#err":0,"warning":0,"error":2,"other":0},
    "last_error":"update failed","cancel_event_seen":true,"maybe_corrupt":false,"events":7,
    "unknown_events":0,"malformed_lines":0,"last_sequence":0})j");
  // Policy packs: the policy*SummaryEvent and policyLoadEvent kinds are unknown to the parser.
  expect_json(runs[4], R"j({"result":"succeeded","is_preview":false,"resource_changes":{"create":1},
    "changes_from":"summary","failed_steps":0,"duration_seconds":1,
    "diagnostics":{"debug":0,"info":0,"info#err":0,"warning":0,"error":0,"other":0},
    "last_error":null,"cancel_event_seen":true,"maybe_corrupt":false,"events":13,
    "unknown_events":6,"malformed_lines":0,"last_sequence":0})j");
}

TEST(RunSummary, SummarisesTheStandInLogExactly) {
  const auto runs = summarise(testing::kStandinLog);
  ASSERT_EQ(runs.size(), 1u);
  expect_json(runs[0], R"j({"result":"failed","is_preview":false,
    "resource_changes":{"create":1,"same":1},"changes_from":"summary","failed_steps":1,
    "duration_seconds":0,
    "diagnostics":{"debug":0,"info":0,"info#err":1,"warning":1,"error":1,"other":0},
    "last_error":"update of bad failed (stand-in)","cancel_event_seen":true,
    "maybe_corrupt":false,"events":13,"unknown_events":0,"malformed_lines":0,
    "last_sequence":12})j");
}

TEST(RunSummary, CountsStepsUntilTheSummaryArrives) {
  // The stand-in log cut before its summaryEvent: a CLI killed mid-run.
  const std::string_view log = testing::kStandinLog;
  const std::size_t cut = log.find("{\"sequence\":11,");
  ASSERT_NE(cut, std::string_view::npos);
  const auto runs = summarise(log.substr(0, cut));
  ASSERT_EQ(runs.size(), 1u);
  const RunSummary& s = runs[0];
  EXPECT_FALSE(s.changes_from_summary());
  EXPECT_EQ(s.resource_changes(),
            (std::map<std::string, std::int64_t>{{"create", 1}, {"same", 1}}));
  EXPECT_EQ(s.result(), RunResult::kFailed);  // a step failed
  EXPECT_FALSE(s.cancel_event_seen());
  EXPECT_EQ(s.duration_seconds(), 0.0);  // from the timestamps
  EXPECT_EQ(s.last_sequence(), 10);
}

TEST(RunSummary, ReadsCancelledInBothSpellingsAndErrorEvents) {
  for (const char* spelling : {"canceled", "cancelled"}) {
    RunSummary s;
    auto e = parse_engine_event(std::string(R"({"sequence":1,"timestamp":5,"summaryEvent":{)") +
                                R"("durationSeconds":2.5,"resourceChanges":{},"result":")" +
                                spelling + R"("}})");
    ASSERT_TRUE(e.ok());
    s.add(*e);
    EXPECT_EQ(s.result(), RunResult::kCancelled);
    EXPECT_EQ(result_name(s.result()), "cancelled");
    EXPECT_EQ(s.to_json().at("duration_seconds").as_double(), 2.5);
  }
  RunSummary s;
  auto e =
      parse_engine_event(R"({"sequence":1,"timestamp":5,"errorEvent":{"error":"engine broke\n"}})");
  ASSERT_TRUE(e.ok());
  s.add(*e);
  EXPECT_EQ(s.result(), RunResult::kFailed);
  EXPECT_EQ(s.last_error(), "engine broke");
}

TEST(RunSummary, BoundsTheLastErrorOnACharacterBoundary) {
  std::string message;
  for (int i = 0; i < 1100; ++i)
    message += "é";         // two bytes each
  message = "x" + message;  // so that byte 2048 falls inside a character
  RunSummary s;
  auto e = parse_engine_event(
      R"({"sequence":1,"timestamp":5,"diagnosticEvent":{"severity":"error","message":")" + message +
      R"("}})");
  ASSERT_TRUE(e.ok());
  s.add(*e);
  EXPECT_EQ(s.last_error().size(), RunSummary::kMaxErrorBytes - 1);
  EXPECT_EQ(s.last_error(), message.substr(0, RunSummary::kMaxErrorBytes - 1));
}

TEST(RunSummary, AnEmptyLogIsUnknown) {
  RunSummary s;
  expect_json(s, R"j({"result":"unknown","is_preview":null,"resource_changes":{},
    "changes_from":"steps","failed_steps":0,"duration_seconds":null,
    "diagnostics":{"debug":0,"info":0,"info#err":0,"warning":0,"error":0,"other":0},
    "last_error":null,"cancel_event_seen":false,"maybe_corrupt":false,"events":0,
    "unknown_events":0,"malformed_lines":0,"last_sequence":null})j");
}

}  // namespace
}  // namespace sg::runs
