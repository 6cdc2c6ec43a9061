#include "http/dispatch.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace sg::http {
namespace {

// Captures what the logger writes, through a pipe.
class LogCapture {
 public:
  LogCapture() {
    if (::pipe(fds_) != 0) throw std::runtime_error("pipe");
  }
  ~LogCapture() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int fd() const { return fds_[1]; }
  std::string read_available() {
    std::string out;
    char buf[4096];
    ssize_t n = ::read(fds_[0], buf, sizeof buf);
    if (n > 0) out.assign(buf, static_cast<std::size_t>(n));
    return out;
  }

 private:
  int fds_[2];
};

class DispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::kGet, "/ok", [](Request&) { return Response::json(200, "{}"); });
    router.add(Method::kGet, "/boom",
               [](Request&) -> Response { throw std::runtime_error("db password is hunter2"); });
    router.add(Method::kGet, "/weird", [](Request&) -> Response { throw 42; });
  }
  Request make(Method m, std::string_view path) {
    Request r;
    r.method = m;
    r.path = path;
    r.request_id = "rid-1";
    return r;
  }
  Router router;
  LogCapture capture;
  Logger log{capture.fd(), LogLevel::kInfo};
};

TEST_F(DispatchTest, FoundRouteReturnsTheHandlersResponse) {
  Request r = make(Method::kGet, "/ok");
  Dispatched d = dispatch(router, r, log);
  EXPECT_EQ(d.response.status, 200);
  EXPECT_EQ(d.response.body, "{}");
  EXPECT_EQ(router.labels()[d.route_id], "/ok");
}

TEST_F(DispatchTest, UnknownPathIs404WithErrorBody) {
  Request r = make(Method::kGet, "/nope");
  Dispatched d = dispatch(router, r, log);
  EXPECT_EQ(d.response.status, 404);
  EXPECT_EQ(d.response.body, R"({"error":{"code":"not_found","message":"no such endpoint"}})");
  EXPECT_EQ(d.route_id, router.unmatched_id());
}

TEST_F(DispatchTest, WrongMethodIs405WithAllowHeader) {
  Request r = make(Method::kPost, "/ok");
  Dispatched d = dispatch(router, r, log);
  EXPECT_EQ(d.response.status, 405);
  ASSERT_EQ(d.response.headers.size(), 1u);
  EXPECT_EQ(d.response.headers[0].first, "Allow");
  EXPECT_EQ(d.response.headers[0].second, "GET, HEAD");
}

TEST_F(DispatchTest, ThrowingHandlerIs500WithoutInternals) {
  Request r = make(Method::kGet, "/boom");
  Dispatched d = dispatch(router, r, log);
  EXPECT_EQ(d.response.status, 500);
  EXPECT_EQ(d.response.body, R"({"error":{"code":"internal","message":"internal error"}})");
  EXPECT_EQ(d.response.body.find("hunter2"), std::string::npos);
  log.flush();
  std::string logged = capture.read_available();
  EXPECT_NE(logged.find("\"request_id\":\"rid-1\""), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"route\":\"/boom\""), std::string::npos) << logged;
}

TEST_F(DispatchTest, NonStandardExceptionIs500) {
  Request r = make(Method::kGet, "/weird");
  EXPECT_EQ(dispatch(router, r, log).response.status, 500);
}

}  // namespace
}  // namespace sg::http
