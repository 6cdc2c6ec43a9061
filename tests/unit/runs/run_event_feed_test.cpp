#include "runs/run_event_feed.hpp"

#include <gtest/gtest.h>

namespace sg::runs {
namespace {

TEST(RunEventFeed, WakesAWaiterWhenANewerEventIsPublished) {
  RunEventFeed feed;
  feed.open("r1", 0);
  int woken = 0;
  std::uint64_t ticket = feed.wait("r1", 0, [&] { ++woken; });
  EXPECT_NE(ticket, 0U);
  EXPECT_EQ(woken, 0);
  feed.published("r1", 1);
  EXPECT_EQ(woken, 1);
  feed.published("r1", 2);
  EXPECT_EQ(woken, 1) << "a waiter is woken once";
  EXPECT_EQ(feed.waiting(), 0U);
}

TEST(RunEventFeed, WakesAtOnceWhenTheReaderIsBehind) {
  RunEventFeed feed;
  feed.open("r1", 5);
  int woken = 0;
  EXPECT_EQ(feed.wait("r1", 3, [&] { ++woken; }), 0U);
  EXPECT_EQ(woken, 1);
}

TEST(RunEventFeed, WaitersOfARunNotStartedYetWakeWhenItStartsWithEventsOrEnds) {
  RunEventFeed feed;
  int a = 0;
  int b = 0;
  feed.wait("queued", 0, [&] { ++a; });
  feed.wait("cancelled", 0, [&] { ++b; });
  EXPECT_EQ(feed.waiting(), 2U);
  feed.open("queued", 0);
  EXPECT_EQ(a, 0);
  feed.published("queued", 1);
  EXPECT_EQ(a, 1);
  feed.close("cancelled");
  EXPECT_EQ(b, 1);
  EXPECT_EQ(feed.waiting(), 0U);
}

TEST(RunEventFeed, ForgottenWaitersAreNeverWoken) {
  RunEventFeed feed;
  feed.open("r1", 0);
  int woken = 0;
  std::uint64_t t = feed.wait("r1", 0, [&] { ++woken; });
  feed.forget("r1", t);
  feed.published("r1", 1);
  feed.close("r1");
  EXPECT_EQ(woken, 0);
  EXPECT_EQ(feed.waiting(), 0U);
}

TEST(RunEventFeed, ClosingWakesEveryWaiter) {
  RunEventFeed feed;
  feed.open("r1", 0);
  int woken = 0;
  for (int i = 0; i < 100; ++i)
    feed.wait("r1", 0, [&] { ++woken; });
  feed.close("r1");
  EXPECT_EQ(woken, 100);
}

}  // namespace
}  // namespace sg::runs
