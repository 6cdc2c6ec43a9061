#include "common/clock.hpp"

#include <gtest/gtest.h>

namespace sg {
namespace {

Time at_ms(long long ms) {
  return Time(std::chrono::milliseconds(ms));
}

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339(at_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(at_ms(1795929996123)), "2026-11-29T05:26:36.123Z");
  EXPECT_EQ(format_rfc3339(at_ms(951782400999)), "2000-02-29T00:00:00.999Z");
}

TEST(Rfc3339, PadsMillisecondsAndKeepsTheCachedSecondCorrect) {
  EXPECT_EQ(format_rfc3339(at_ms(1795929996007)), "2026-11-29T05:26:36.007Z");
  EXPECT_EQ(format_rfc3339(at_ms(1795929996070)), "2026-11-29T05:26:36.070Z");
  EXPECT_EQ(format_rfc3339(at_ms(1795929997000)), "2026-11-29T05:26:37.000Z");
  EXPECT_EQ(format_rfc3339(at_ms(1795929996999)), "2026-11-29T05:26:36.999Z");
}

TEST(Rfc3339, TimesBeforeTheEpochRoundDown) {
  EXPECT_EQ(format_rfc3339(at_ms(-1)), "1969-12-31T23:59:59.999Z");
}

TEST(Rfc3339, ParsesWhatFormatWrites) {
  for (long long ms : {0LL, 1795929996123LL, 951782400999LL, -1LL}) {
    auto parsed = parse_rfc3339(format_rfc3339(at_ms(ms)));
    ASSERT_TRUE(parsed.ok()) << ms;
    EXPECT_EQ(*parsed, at_ms(ms));
  }
}

TEST(Rfc3339, ParsesFractionsAndOffsets) {
  EXPECT_EQ(*parse_rfc3339("2026-11-29T05:26:36Z"), at_ms(1795929996000));
  EXPECT_EQ(*parse_rfc3339("2026-11-29T05:26:36.1Z"), at_ms(1795929996100));
  EXPECT_EQ(*parse_rfc3339("2026-11-29T05:26:36.123456789Z"),
            at_ms(1795929996123) + std::chrono::nanoseconds(456789));
  EXPECT_EQ(*parse_rfc3339("2026-11-29T07:26:36.123+02:00"), at_ms(1795929996123));
  EXPECT_EQ(*parse_rfc3339("2026-11-29T00:56:36.123-04:30"), at_ms(1795929996123));
}

TEST(Rfc3339, RefusesMalformedText) {
  for (const char* text :
       {"", "2026-11-29", "2026-11-29 05:26:36Z", "2026-11-29t05:26:36Z", "2026-11-29T05:26:36z",
        "2026-11-29T05:26:36", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-11-29T24:00:00Z", "2026-11-29T05:60:00Z", "2026-11-29T05:26:60Z",
        "2026-11-29T05:26:36.Z", "2026-11-29T05:26:36.1234567890Z", "2026-11-29T05:26:36+0200",
        "2026-11-29T05:26:36+24:00", "2026-11-29T05:26:36Z ", "+026-11-29T05:26:36Z",
        "9999-12-31T23:59:59Z", "1000-01-01T00:00:00Z"}) {
    auto parsed = parse_rfc3339(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.code(), Errc::kInvalidArgument) << text;
  }
  EXPECT_EQ(parse_rfc3339("2026-02-29T00:00:00Z").error().message,
            "not an RFC 3339 date-time: no such date");
  EXPECT_TRUE(parse_rfc3339("2024-02-29T00:00:00Z").ok());
}

TEST(ManualClock, AdvancesOnlyWhenTold) {
  ManualClock clock(at_ms(1000));
  EXPECT_EQ(clock.now(), at_ms(1000));
  clock.advance(std::chrono::seconds(2));
  EXPECT_EQ(clock.now(), at_ms(3000));
  EXPECT_EQ(unix_seconds(clock.now()), 3);
}

}  // namespace
}  // namespace sg
