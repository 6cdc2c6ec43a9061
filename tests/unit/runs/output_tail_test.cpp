#include "runs/output_tail.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sg::runs {
namespace {

TEST(OutputTail, KeepsEverythingUnderTheBound) {
  OutputTail tail(10);
  tail.append("abc");
  tail.append("");
  tail.append("defghij");
  EXPECT_EQ(tail.text(), "abcdefghij");
  EXPECT_EQ(tail.dropped(), 0u);
  EXPECT_EQ(tail.total(), 10u);
}

TEST(OutputTail, KeepsTheLastBytesAndCountsTheRest) {
  OutputTail tail(4);
  tail.append("abc");
  tail.append("de");
  EXPECT_EQ(tail.text(), "bcde");
  EXPECT_EQ(tail.dropped(), 1u);
  tail.append("0123456789");  // alone more than the bound
  EXPECT_EQ(tail.text(), "6789");
  EXPECT_EQ(tail.dropped(), 11u);
  EXPECT_EQ(tail.total(), 15u);
}

TEST(OutputTail, AnySplitOfTheStreamGivesTheSameTail) {
  std::string stream;
  for (int i = 0; i < 5000; ++i)
    stream += static_cast<char>('a' + i % 26) + std::to_string(i);
  for (std::size_t bound : {0u, 1u, 7u, 100u, 4096u}) {
    for (std::size_t chunk : {1u, 3u, 64u, 1000u, 100000u}) {
      OutputTail tail(bound);
      for (std::size_t at = 0; at < stream.size(); at += chunk)
        tail.append(std::string_view(stream).substr(at, chunk));
      const std::size_t kept = std::min(bound, stream.size());
      ASSERT_EQ(tail.text(), std::string_view(stream).substr(stream.size() - kept))
          << bound << " " << chunk;
      ASSERT_EQ(tail.dropped(), stream.size() - kept);
    }
  }
}

TEST(OutputTail, AZeroBoundKeepsNothingButCounts) {
  OutputTail tail;
  tail.append("hello");
  EXPECT_EQ(tail.text(), "");
  EXPECT_EQ(tail.dropped(), 5u);
}

}  // namespace
}  // namespace sg::runs
