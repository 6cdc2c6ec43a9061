#include "common/logger.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

#include <boost/json.hpp>

namespace sg {
namespace {

class LoggerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe(fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  std::string drain() {
    std::string out;
    char buf[65536];
    ssize_t n = ::read(fds_[0], buf, sizeof buf);
    if (n > 0) out.assign(buf, static_cast<std::size_t>(n));
    return out;
  }
  int fds_[2];
};

TEST_F(LoggerTest, WritesOneJsonObjectPerLineWithTypedFields) {
  {
    Logger log(fds_[1]);
    log.info("request", {{"route", "/healthz"},
                         {"status", 200},
                         {"bytes", 15ul},
                         {"duration_ms", 0.25},
                         {"keep_alive", true}});
  }  // destruction flushes
  std::string out = drain();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  boost::json::object o = boost::json::parse(out).as_object();
  EXPECT_EQ(o.at("level"), "info");
  EXPECT_EQ(o.at("msg"), "request");
  EXPECT_EQ(o.at("route"), "/healthz");
  EXPECT_EQ(o.at("status").as_int64(), 200);
  EXPECT_EQ(o.at("bytes").to_number<std::uint64_t>(), 15u);
  EXPECT_DOUBLE_EQ(o.at("duration_ms").as_double(), 0.25);
  EXPECT_EQ(o.at("keep_alive").as_bool(), true);
  EXPECT_EQ(o.at("time").as_string().size(), 24u);  // 2026-11-29T04:30:41.123Z
}

TEST_F(LoggerTest, HostileFieldValuesStayInsideTheirString) {
  {
    Logger log(fds_[1]);
    log.info("x", {{"path", "/a\"}\n{\"level\":\"error\""}});
  }
  std::string out = drain();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  boost::json::object o = boost::json::parse(out).as_object();
  EXPECT_EQ(o.at("path"), "/a\"}\n{\"level\":\"error\"");
  EXPECT_EQ(o.at("level"), "info");
}

TEST_F(LoggerTest, DropsLinesBelowTheMinimumLevel) {
  {
    Logger log(fds_[1], LogLevel::kWarn);
    EXPECT_FALSE(log.enabled(LogLevel::kInfo));
    log.info("hidden");
    log.warn("shown");
  }
  std::string out = drain();
  EXPECT_EQ(out.find("hidden"), std::string::npos);
  EXPECT_NE(out.find("\"msg\":\"shown\""), std::string::npos);
}

TEST_F(LoggerTest, WarningsAreWrittenAtOnceWithoutWaitingForTheFlusher) {
  Logger log(fds_[1], LogLevel::kInfo, std::chrono::hours(1));
  log.warn("now");
  // No flush() and no destruction: the line must already be in the pipe.
  EXPECT_NE(drain().find("\"msg\":\"now\""), std::string::npos);
}

}  // namespace
}  // namespace sg
