// CurlPoster against a tiny blocking HTTP server on a loopback port, run in a thread by each test.
#include "audit/curl_poster.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "support/http_test_server.hpp"

namespace sg::audit {
namespace {

using sg::test::http_response;
using sg::test::HttpRequest;
using sg::test::HttpTestServer;
using std::chrono::milliseconds;

class CurlPosterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Hermetic: a proxy in the environment must not capture the loopback test server.
    ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
  }
  CurlPoster poster_;
  const milliseconds timeout_{10'000};
};

TEST_F(CurlPosterTest, PostsTheBodyWithItsTypeAndHeadersAndReturnsTheStatusAndBody) {
  HttpTestServer server([](const HttpRequest&) { return http_response(202, "accepted"); });
  const std::string body = "{\"seq\":1}\n{\"seq\":2}\n";
  auto r =
      poster_.post(server.url("/in"), "application/x-ndjson", body,
                   {{"Authorization", "Bearer t0k3n"}, {"X-Stackgate-First-Seq", "1"}}, timeout_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 202);
  EXPECT_EQ(r->body, "accepted");
  EXPECT_FALSE(r->body_cut);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string& head = requests[0].head;
  EXPECT_TRUE(head.starts_with("POST /in HTTP/1.1\r\n")) << head;
  EXPECT_NE(head.find("\r\nContent-Type: application/x-ndjson\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"),
            std::string::npos)
      << head;
  EXPECT_NE(head.find("\r\nAuthorization: Bearer t0k3n\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nX-Stackgate-First-Seq: 1\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nUser-Agent: stackgate/"), std::string::npos) << head;
  EXPECT_EQ(head.find("Expect:"), std::string::npos) << head;
  EXPECT_EQ(requests[0].body, body);
}

TEST_F(CurlPosterTest, PostsAnEmptyBody) {
  HttpTestServer server([](const HttpRequest&) { return http_response(204); });
  auto r =
      poster_.post(server.url("/in"), "application/x-ndjson", std::string_view(), {}, timeout_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 204);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_NE(requests[0].head.find("\r\nContent-Length: 0\r\n"), std::string::npos)
      << requests[0].head;
}

TEST_F(CurlPosterTest, ReturnsAnErrorStatusAsAValue) {
  HttpTestServer server([](const HttpRequest&) { return http_response(503, "busy"); });
  auto r = poster_.post(server.url("/in"), "application/x-ndjson", "x\n", {}, timeout_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 503);
}

TEST_F(CurlPosterTest, DoesNotSendExpectContinueForALargeBody) {
  HttpTestServer server([](const HttpRequest&) { return http_response(200); });
  const std::string body(2 * 1024 * 1024, 'x');
  auto r = poster_.post(server.url("/in"), "application/x-ndjson", body, {}, timeout_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].head.find("Expect:"), std::string::npos) << requests[0].head;
  EXPECT_EQ(requests[0].body.size(), body.size());
}

TEST_F(CurlPosterTest, NeverFollowsARedirect) {
  HttpTestServer server([](const HttpRequest& request) {
    if (request.head.starts_with("POST /moved ")) return http_response(200);
    return http_response(307, "", "Location: /moved\r\n");
  });
  auto r = poster_.post(server.url("/in"), "application/x-ndjson", "x\n", {}, timeout_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 307);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(CurlPosterTest, ReturnsTheStatusAndTheStartOfABodyThatIsTooLarge) {
  HttpTestServer server(
      [](const HttpRequest&) { return http_response(200, std::string(100'000, 'x')); });
  CurlPoster poster(CurlPoster::Limits{.max_response_bytes = 1000});
  auto r = poster.post(server.url("/in"), "application/x-ndjson", "x\n", {}, timeout_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, std::string(1000, 'x'));
  EXPECT_TRUE(r->body_cut);
}

TEST_F(CurlPosterTest, KeepsABodyOfExactlyTheBound) {
  HttpTestServer server(
      [](const HttpRequest&) { return http_response(400, std::string(1000, 'y')); });
  CurlPoster poster(CurlPoster::Limits{.max_response_bytes = 1000});
  auto r = poster.post(server.url("/in"), "application/x-ndjson", "x\n", {}, timeout_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->body, std::string(1000, 'y'));
  EXPECT_FALSE(r->body_cut);
}

TEST_F(CurlPosterTest, TimesOutWhenTheServerNeverAnswers) {
  HttpTestServer server([](const HttpRequest&) { return std::nullopt; });
  auto r = poster_.post(server.url("/slow"), "application/x-ndjson", "x\n", {}, milliseconds(200));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kUnavailable);
  EXPECT_TRUE(r.error().message.starts_with("POST " + server.url("/slow") + " failed: "))
      << r.error().message;
}

TEST_F(CurlPosterTest, ErrorsNameTheUrlWithoutSecretsOrHeaderValues) {
  const int fd = sg::test::loopback_socket(0);  // bound, never listening: connecting is refused
  ASSERT_GE(fd, 0);
  const std::string host = "127.0.0.1:" + std::to_string(sg::test::port_of(fd));
  auto r = poster_.post("http://alice:url-password@" + host + "/in?token=query-secret#frag",
                        "application/x-ndjson", "x\n", {{"Authorization", "Bearer header-secret"}},
                        timeout_);
  ::close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kUnavailable);
  const std::string& m = r.error().message;
  EXPECT_TRUE(m.starts_with("POST http://" + host + "/in failed: ")) << m;
  for (const char* secret : {"alice", "url-password", "query-secret", "frag", "header-secret"}) {
    EXPECT_EQ(m.find(secret), std::string::npos) << secret << " in: " << m;
  }
}

TEST_F(CurlPosterTest, RefusesAHeaderThatWouldSplitTheRequest) {
  auto r = poster_.post("http://127.0.0.1:1/in", "application/x-ndjson", "x\n",
                        {{"Authorization", "Bearer x\r\nX-Injected: 1"}}, timeout_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message,
            "POST http://127.0.0.1:1/in: a request header has a forbidden "
            "character");
}

TEST_F(CurlPosterTest, RefusesSchemesOtherThanHttp) {
  auto r = poster_.post("file:///tmp/x", "application/x-ndjson", "x\n", {}, timeout_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kUnavailable);
}

}  // namespace
}  // namespace sg::audit
