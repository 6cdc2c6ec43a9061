// CurlFetcher against a tiny blocking HTTP server on a loopback port, run in a thread by each test.
#include "identity/curl_fetcher.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "support/http_test_server.hpp"

namespace sg::identity {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using sg::test::http_response;
using sg::test::HttpRequest;
using sg::test::loopback_socket;
using sg::test::port_of;
using TestServer = sg::test::HttpTestServer;

class CurlFetcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Hermetic: a proxy in the environment must not capture the loopback test server.
    ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
  }
  CurlFetcher fetcher_;
  FetchOptions options_;
};

TEST_F(CurlFetcherTest, ReturnsBodyAndMaxAgeOfA200) {
  TestServer server([](const HttpRequest&) {
    return http_response(200, R"({"keys":[]})", "Cache-Control: public, max-age=600\r\n");
  });
  auto r = fetcher_.get(server.url("/jwks"), options_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"keys":[]})");
  EXPECT_EQ(r->max_age, seconds(600));
}

TEST_F(CurlFetcherTest, NoCacheControlMeansNoMaxAge) {
  TestServer server([](const HttpRequest&) { return http_response(200, "{}"); });
  auto r = fetcher_.get(server.url(), options_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->max_age, std::nullopt);
}

TEST_F(CurlFetcherTest, ReturnsNon2xxAsAResponse) {
  TestServer server([](const HttpRequest&) { return http_response(404, "nope"); });
  auto r = fetcher_.get(server.url("/missing"), options_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, "nope");
}

TEST_F(CurlFetcherTest, RefusesABodyLargerThanTheCapWhenLengthIsAnnounced) {
  TestServer server([](const HttpRequest&) { return http_response(200, std::string(101, 'x')); });
  options_.max_bytes = 100;
  auto r = fetcher_.get(server.url("/big"), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(r.error().message,
            "GET " + server.url("/big") + " failed: response larger than 100 bytes");
}

TEST_F(CurlFetcherTest, RefusesABodyLargerThanTheCapWithoutALength) {
  TestServer server([](const HttpRequest&) {
    return "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(100000, 'x');
  });
  options_.max_bytes = 1000;
  auto r = fetcher_.get(server.url("/stream"), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(r.error().message,
            "GET " + server.url("/stream") + " failed: response larger than 1000 bytes");
}

TEST_F(CurlFetcherTest, AcceptsABodyOfExactlyTheCap) {
  TestServer server([](const HttpRequest&) { return http_response(200, std::string(100, 'x')); });
  options_.max_bytes = 100;
  auto r = fetcher_.get(server.url(), options_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body.size(), 100u);
}

TEST_F(CurlFetcherTest, TimesOutWhenTheServerNeverAnswers) {
  TestServer server([](const HttpRequest&) { return std::nullopt; });
  options_.timeout = milliseconds(200);
  auto r = fetcher_.get(server.url("/slow"), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kIssuerUnavailable);
}

TEST_F(CurlFetcherTest, ReportsARefusedConnection) {
  const int fd = loopback_socket(0);  // bound, never listening: connecting is refused
  ASSERT_GE(fd, 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port_of(fd)) + "/jwks";
  auto r = fetcher_.get(url, options_);
  ::close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kIssuerUnavailable);
  EXPECT_TRUE(r.error().message.starts_with("GET " + url + " failed: ")) << r.error().message;
}

TEST_F(CurlFetcherTest, RefusesARedirectToAnotherScheme) {
  for (const std::string target : {"ftp://127.0.0.1:1/keys", "file:///etc/passwd"}) {
    TestServer server(
        [&](const HttpRequest&) { return http_response(302, "", "Location: " + target + "\r\n"); });
    auto r = fetcher_.get(server.url("/jwks"), options_);
    ASSERT_FALSE(r.ok()) << target;
    EXPECT_EQ(r.code(), Errc::kIssuerUnavailable) << target;
    EXPECT_EQ(server.requests().size(), 1u) << target;
  }
}

TEST_F(CurlFetcherTest, RefusesARedirectToPlainHttp) {
  // Redirects are followed only to https, so never down from https to http.
  TestServer server([&](const HttpRequest& request) {
    if (request.head.starts_with("GET /final ")) return http_response(200, "followed");
    return http_response(301, "", "Location: /final\r\n");
  });
  auto r = fetcher_.get(server.url("/start"), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kIssuerUnavailable);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(CurlFetcherTest, SendsTheRequestedHeaders) {
  TestServer server([](const HttpRequest& request) {
    const bool present =
        request.head.find("\r\nAuthorization: Bearer abc.def.ghi\r\n") != std::string::npos;
    return http_response(200, present ? "authorization=present" : "authorization=absent");
  });
  auto without = fetcher_.get(server.url("/userinfo"), options_);
  ASSERT_TRUE(without.ok()) << without.error().message;
  EXPECT_EQ(without->body, "authorization=absent");

  options_.headers = {{"Authorization", "Bearer abc.def.ghi"}};
  auto with = fetcher_.get(server.url("/userinfo"), options_);
  ASSERT_TRUE(with.ok()) << with.error().message;
  EXPECT_EQ(with->body, "authorization=present");
}

TEST_F(CurlFetcherTest, RefusesAHeaderThatWouldSplitTheRequest) {
  options_.headers = {{"Authorization", "Bearer x\r\nX-Injected: 1"}};
  auto r = fetcher_.get("http://127.0.0.1:1/", options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message.find("Bearer"), std::string::npos);
}

TEST_F(CurlFetcherTest, ErrorsNameTheUrlWithoutSecretsOrHeaderValues) {
  const int fd = loopback_socket(0);
  ASSERT_GE(fd, 0);
  const std::string host = "127.0.0.1:" + std::to_string(port_of(fd));
  options_.headers = {{"Authorization", "Bearer header-secret"}};
  auto r =
      fetcher_.get("http://alice:url-password@" + host + "/jwks?token=query-secret#frag", options_);
  ::close(fd);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message;
  EXPECT_TRUE(m.starts_with("GET http://" + host + "/jwks failed: ")) << m;
  for (const char* secret : {"alice", "url-password", "query-secret", "frag", "header-secret"}) {
    EXPECT_EQ(m.find(secret), std::string::npos) << secret << " in: " << m;
  }
}

TEST_F(CurlFetcherTest, RefusesSchemesOtherThanHttp) {
  auto r = fetcher_.get("file:///etc/hostname", options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kIssuerUnavailable);
}

TEST(CurlFetcherCacheControl, ParsesOneWellFormedMaxAge) {
  EXPECT_EQ(cache_max_age("max-age=60"), seconds(60));
  EXPECT_EQ(cache_max_age("public, MAX-AGE = 5 , must-revalidate"), seconds(5));
  EXPECT_EQ(cache_max_age("max-age=\"7\""), seconds(7));
  EXPECT_EQ(cache_max_age("max-age=0"), seconds(0));
  EXPECT_EQ(cache_max_age("max-age=9999999999"), seconds(86400));
  EXPECT_EQ(cache_max_age(""), std::nullopt);
  EXPECT_EQ(cache_max_age("no-cache"), std::nullopt);
  EXPECT_EQ(cache_max_age("s-maxage=5"), std::nullopt);
  EXPECT_EQ(cache_max_age("max-age=-1"), std::nullopt);
  EXPECT_EQ(cache_max_age("max-age=1a"), std::nullopt);
  EXPECT_EQ(cache_max_age("max-age"), std::nullopt);
  EXPECT_EQ(cache_max_age("max-age=1, max-age=2"), std::nullopt);
}

}  // namespace
}  // namespace sg::identity
