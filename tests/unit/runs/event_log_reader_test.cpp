#include "runs/event_log_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "runs/samples.hpp"
#include "runs/standin_log.hpp"

namespace sg::runs {
namespace {

// A line's outcome reduced to something comparable: "seq:kind" or "error:<message>".
std::vector<std::string> outline(const std::vector<LineEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    out.push_back(std::to_string(e.line) + " " +
                  (e.event.ok() ? std::to_string(e.event->sequence) + ":" + e.event->kind_text
                                : "error:" + e.event.error().message));
  }
  return out;
}

void append(std::vector<LineEvent>& to, std::vector<LineEvent> more) {
  for (auto& e : more)
    to.push_back(std::move(e));
}

std::vector<LineEvent> read_whole(std::string_view text) {
  EventLogReader reader;
  auto events = reader.feed(text);
  append(events, reader.finish());
  return events;
}

TEST(EventLogReader, ReturnsCompleteLinesOnlyAndKeepsThePartialOne) {
  EventLogReader reader;
  EXPECT_TRUE(reader.feed(R"({"sequence":0,"timestamp":1,"prelude)").empty());
  EXPECT_EQ(reader.pending_bytes(), 36u);
  auto events = reader.feed("Event\":{\"config\":{}}}\n{\"sequence\":1,");
  EXPECT_EQ(outline(events), std::vector<std::string>{"1 0:preludeEvent"});
  events = reader.feed("\"timestamp\":1,\"cancelEvent\":{}}\n");
  EXPECT_EQ(outline(events), std::vector<std::string>{"2 1:cancelEvent"});
  EXPECT_EQ(reader.pending_bytes(), 0u);
  EXPECT_TRUE(reader.finish().empty());
}

TEST(EventLogReader, SplitAtEveryByteOffsetGivesTheSameEvents) {
  const std::string_view log = testing::kStandinLog;
  const auto whole = outline(read_whole(log));
  ASSERT_EQ(whole.size(), 13u);
  for (std::size_t cut = 0; cut <= log.size(); ++cut) {
    EventLogReader reader;
    auto events = reader.feed(log.substr(0, cut));
    append(events, reader.feed(log.substr(cut)));
    append(events, reader.finish());
    ASSERT_EQ(outline(events), whole) << "cut at " << cut;
  }
}

TEST(EventLogReader, SamplesFedAtEveryOffsetAndByteByByteGiveTheSameEvents) {
  SG_READ_SAMPLES_OR_SKIP(samples);
  const auto whole = outline(read_whole(samples));
  ASSERT_EQ(whole.size(), 40u);
  for (const auto& line : whole)
    EXPECT_EQ(line.find("error:"), std::string::npos) << line;
  for (std::size_t cut = 0; cut <= samples.size(); cut += 7) {
    EventLogReader reader;
    auto events = reader.feed(std::string_view(samples).substr(0, cut));
    append(events, reader.feed(std::string_view(samples).substr(cut)));
    append(events, reader.finish());
    ASSERT_EQ(outline(events), whole) << "cut at " << cut;
  }
  EventLogReader reader;
  std::vector<LineEvent> events;
  for (char c : samples)
    append(events, reader.feed(std::string_view(&c, 1)));
  append(events, reader.finish());
  EXPECT_EQ(outline(events), whole);
  EXPECT_EQ(reader.bytes_consumed(), samples.size());
}

TEST(EventLogReader, SkipsEmptyLinesAndCarriageReturnsAndCountsLines) {
  const auto events = read_whole(
      "\n{\"sequence\":4,\"timestamp\":1,\"cancelEvent\":{}}\r\n\r\n"
      "not json\n{\"sequence\":5,\"timestamp\":1,\"fooEvent\":{}}");
  EXPECT_EQ(outline(events), (std::vector<std::string>{
                                 "2 4:cancelEvent",
                                 "4 error:engine event is not valid JSON (syntax error)",
                                 "5 5:fooEvent",
                             }));
}

TEST(EventLogReader, KeepsEachLinesTextWithoutItsLineEnd) {
  EventLogReader reader(EventLimits{64, 128});
  auto events = reader.feed("{\"sequence\":4,\"timestamp\":1,\"cancelEvent\":{}}\r\n");
  append(events, reader.feed("not json\n" + std::string(100, 'x') + "\n"));
  append(events, reader.feed("{\"sequence\":5,\"timestamp\":1,"));
  append(events, reader.feed("\"cancelEvent\":{}}"));
  append(events, reader.finish());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].text, "{\"sequence\":4,\"timestamp\":1,\"cancelEvent\":{}}");
  EXPECT_EQ(events[1].text, "not json");
  EXPECT_EQ(events[2].text, "");  // over the limit: dropped as it arrived
  EXPECT_EQ(events[2].event.code(), Errc::kPayloadTooLarge);
  EXPECT_EQ(events[3].text, "{\"sequence\":5,\"timestamp\":1,\"cancelEvent\":{}}");
}

TEST(EventLogReader, AnOversizeLineIsDroppedAsItArrivesAndReportedOnce) {
  EventLogReader reader(EventLimits{64, 128});
  const std::string big = R"({"sequence":1,"timestamp":1,"stdoutEvent":{"message":")" +
                          std::string(10000, 'x') + R"("}})";
  std::vector<LineEvent> events;
  for (std::size_t i = 0; i < big.size(); i += 100) {
    append(events, reader.feed(std::string_view(big).substr(i, 100)));
    ASSERT_LE(reader.pending_bytes(), 65u);
  }
  EXPECT_TRUE(events.empty());
  append(events, reader.feed("\n{\"sequence\":2,\"timestamp\":1,\"cancelEvent\":{}}\n"));
  EXPECT_EQ(outline(events), (std::vector<std::string>{
                                 "1 error:engine event is longer than 64 bytes",
                                 "2 2:cancelEvent",
                             }));
  EXPECT_EQ(events[0].event.code(), Errc::kPayloadTooLarge);
  // A line of exactly the limit, with or without '\r', is fine.
  const std::string head = R"({"sequence":3,"timestamp":1,"cancelEvent":{},"pad":")";
  const std::string exact = head + std::string(64 - head.size() - 2, 'p') + "\"}";
  ASSERT_EQ(exact.size(), 64u);
  EXPECT_EQ(outline(reader.feed(exact + "\r\n")), std::vector<std::string>{"3 3:cancelEvent"});
  // An unterminated oversize line is reported at finish().
  reader.feed(big);
  EXPECT_EQ(outline(reader.finish()),
            std::vector<std::string>{"4 error:engine event is longer than 64 bytes"});
}

TEST(EventLogReader, FinishParsesAnUnterminatedLastLine) {
  EventLogReader reader;
  EXPECT_TRUE(reader.feed("{\"sequence\":9,\"timestamp\":1,\"cancelEvent\":{}}").empty());
  EXPECT_EQ(outline(reader.finish()), std::vector<std::string>{"1 9:cancelEvent"});
  EXPECT_TRUE(reader.feed("{\"sequence\":10,\"timestamp\"").empty());
  const auto cut = reader.finish();
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_FALSE(cut[0].event.ok());
}

class EventLogTailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sg-runs-tail-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "events.jsonl").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(std::string_view bytes) {
    std::ofstream(path_, std::ios::binary | std::ios::app) << bytes;
  }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(EventLogTailTest, ReadsWhatIsNewAsTheFileGrows) {
  EventLogTail tail(path_);
  auto none = tail.poll();  // not created yet
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  const std::string_view log = testing::kStandinLog;
  std::vector<LineEvent> events;
  for (std::size_t i = 0; i < log.size(); i += 500) {
    write(log.substr(i, 500));
    auto more = tail.poll();
    ASSERT_TRUE(more.ok()) << more.error().message;
    append(events, std::move(*more));
  }
  auto rest = tail.finish();
  ASSERT_TRUE(rest.ok());
  append(events, std::move(*rest));
  EXPECT_EQ(outline(events), outline(read_whole(log)));
  EXPECT_EQ(tail.offset(), log.size());
  auto again = tail.poll();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(EventLogTailTest, FinishDrainsMoreThanOneReadAndTheUnterminatedLine) {
  const std::string_view log = testing::kStandinLog;
  write(log.substr(0, log.size() - 1));  // without the last newline
  EventLogTail tail(path_, EventLimits{}, 100);
  auto first = tail.poll();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(tail.offset(), 100u);
  auto rest = tail.finish();
  ASSERT_TRUE(rest.ok());
  append(*first, std::move(*rest));
  EXPECT_EQ(outline(*first), outline(read_whole(log)));
}

TEST_F(EventLogTailTest, AFileThatShrinksIsAnError) {
  write("{\"sequence\":1,\"timestamp\":1,\"cancelEvent\":{}}\n");
  EventLogTail tail(path_);
  ASSERT_TRUE(tail.poll().ok());
  std::filesystem::resize_file(path_, 3);
  auto r = tail.poll();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kIo);
  EXPECT_EQ(r.error().message, "event log " + path_ + " shrank from 46 to 3 bytes");
}

TEST_F(EventLogTailTest, AnUnreadablePathIsAnError) {
  EventLogTail tail(dir_.string() + "/missing-dir/x/../events.jsonl");
  auto absent = tail.poll();
  ASSERT_TRUE(absent.ok());  // ENOENT: not written yet
  std::filesystem::create_directories(dir_ / "sub");
  EventLogTail on_dir((dir_ / "sub").string());
  auto r = on_dir.poll();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kIo);
}

}  // namespace
}  // namespace sg::runs
