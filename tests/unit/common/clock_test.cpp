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

TEST(ManualClock, AdvancesOnlyWhenTold) {
  ManualClock clock(at_ms(1000));
  EXPECT_EQ(clock.now(), at_ms(1000));
  clock.advance(std::chrono::seconds(2));
  EXPECT_EQ(clock.now(), at_ms(3000));
  EXPECT_EQ(unix_seconds(clock.now()), 3);
}

}  // namespace
}  // namespace sg
