// sg::parse_duration and sg::format_duration: accepted forms, each error, bounds and round trips.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/duration.hpp"

namespace sg {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(ParseDuration, ReadsEachUnit) {
  EXPECT_EQ(*parse_duration("250ms"), 250ms);
  EXPECT_EQ(*parse_duration("30s"), 30s);
  EXPECT_EQ(*parse_duration("15m"), 15min);
  EXPECT_EQ(*parse_duration("1h"), 1h);
  EXPECT_EQ(*parse_duration("7d"), 7 * 24h);
  EXPECT_EQ(*parse_duration("0s"), 0ms);
}

TEST(ParseDuration, ReadsCompoundDurationsLargestFirst) {
  EXPECT_EQ(*parse_duration("1h30m"), 90min);
  EXPECT_EQ(*parse_duration("1d2h3m4s5ms"), 24h + 2h + 3min + 4s + 5ms);
}

void expect_invalid(std::string_view text, std::string_view why) {
  auto r = parse_duration(text);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("expected a duration like 30s"));
  EXPECT_THAT(r.error().message, HasSubstr(std::string(why))) << text;
}

TEST(ParseDuration, RejectsEmptyText) {
  expect_invalid("", "empty");
}

TEST(ParseDuration, RejectsMissingUnit) {
  expect_invalid("30", "missing unit");
}

TEST(ParseDuration, RejectsUnknownUnit) {
  expect_invalid("5x", "unknown unit 'x'");
}

TEST(ParseDuration, RejectsUnitWithoutNumber) {
  expect_invalid("s", "a number must come before");
}

TEST(ParseDuration, RejectsSign) {
  expect_invalid("-5s", "a number must come before");
}

TEST(ParseDuration, RejectsFraction) {
  expect_invalid("1.5s", "unexpected character");
}

TEST(ParseDuration, RejectsSpaces) {
  expect_invalid("1h 30m", "a number must come before");
}

TEST(ParseDuration, RejectsUppercaseUnit) {
  expect_invalid("5S", "unexpected character");
}

TEST(ParseDuration, RejectsUnitsOutOfOrder) {
  expect_invalid("30m1h", "largest to smallest");
}

TEST(ParseDuration, RejectsRepeatedUnit) {
  expect_invalid("1h1h", "largest to smallest");
}

TEST(ParseDuration, RejectsMoreThanTenYears) {
  expect_invalid("3661d", "longer than 10 years");
}

TEST(ParseDuration, RejectsSumOverTenYears) {
  expect_invalid("3660d24h", "longer than 10 years");
}

TEST(ParseDuration, RejectsNumbersTooLargeToHold) {
  expect_invalid("99999999999999999999s", "number too large");
}

TEST(ParseDuration, AcceptsExactlyTenYears) {
  EXPECT_EQ(*parse_duration("3660d"), 3660 * 24h);
}

TEST(FormatDuration, WritesTheShortestForm) {
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(250ms), "250ms");
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(24h), "1d");
  EXPECT_EQ(format_duration(1001ms), "1s1ms");
}

TEST(FormatDuration, WritesNegativeDurationsWithASign) {
  EXPECT_EQ(format_duration(-90s), "-1m30s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  for (Duration d : {Duration(1), Duration(999), Duration(1000), Duration(61'001),
                     Duration(3'600'000), Duration(90'061'001), Duration(316'224'000'000)}) {
    auto back = parse_duration(format_duration(d));
    ASSERT_TRUE(back.ok()) << format_duration(d);
    EXPECT_EQ(*back, d);
  }
}

}  // namespace
}  // namespace sg
