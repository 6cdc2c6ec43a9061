#include "http/metrics.hpp"

#include <gtest/gtest.h>

namespace sg::http {
namespace {

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::kGet, "/healthz", [](Request&) { return Response{}; });
    router.add(Method::kGet, "/v1/stacks/{org}/{project}/{stack}",
               [](Request&) { return Response{}; });
  }
  Router router;
};

TEST_F(MetricsTest, CountsByRouteAndStatusAcrossShards) {
  HttpMetrics m(router, 4);
  m.observe(0, 0, 200, 1000);
  m.observe(1, 0, 200, 1000);
  m.observe(7, 0, 503, 1000);  // shard index wraps
  m.observe(2, 1, 404, 1000);
  EXPECT_EQ(m.count(0, 200), 2u);
  EXPECT_EQ(m.count(0, 503), 1u);
  EXPECT_EQ(m.count(1, 404), 1u);
  std::string text = m.render();
  EXPECT_NE(text.find("stackgate_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("stackgate_http_requests_total{route=\"/v1/stacks/{org}/{project}/{stack}\","
                      "status=\"404\"} 1\n"),
            std::string::npos);
}

TEST_F(MetricsTest, UnusualStatusIsCountedAsOther) {
  HttpMetrics m(router, 1);
  m.observe(0, 0, 418, 1000);
  EXPECT_NE(
      m.render().find("stackgate_http_requests_total{route=\"/healthz\",status=\"other\"} 1\n"),
      std::string::npos);
}

TEST_F(MetricsTest, HistogramIsCumulativeWithSumAndCount) {
  HttpMetrics m(router, 2);
  m.observe(0, 0, 200, 200'000);         // 0.2 ms → le=0.0005
  m.observe(1, 0, 200, 3'000'000);       // 3 ms → le=0.005
  m.observe(0, 0, 200, 20'000'000'000);  // 20 s → only +Inf
  std::string t = m.render();
  auto has = [&](const std::string& s) { return t.find(s) != std::string::npos; };
  EXPECT_TRUE(
      has("stackgate_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0005\"} 1\n"));
  EXPECT_TRUE(
      has("stackgate_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0025\"} 1\n"));
  EXPECT_TRUE(
      has("stackgate_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(
      has("stackgate_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"10\"} 2\n"));
  EXPECT_TRUE(
      has("stackgate_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(has("stackgate_http_request_duration_seconds_count{route=\"/healthz\"} 3\n"));
  EXPECT_TRUE(has("stackgate_http_request_duration_seconds_sum{route=\"/healthz\"} 20.0032\n"));
  // Routes without observations are left out.
  EXPECT_FALSE(has("duration_seconds_count{route=\"/v1/stacks"));
}

TEST_F(MetricsTest, RendersGaugesInFlightConnectionsAndBuildInfo) {
  HttpMetrics m(router, 1);
  m.add_in_flight(3);
  m.add_in_flight(-1);
  m.add_connections(5);
  m.add_gauge("stackgate_policy_generation", "Policy generation loaded.", [] { return 7.0; });
  std::string t = m.render();
  EXPECT_NE(t.find("stackgate_http_requests_in_flight 2\n"), std::string::npos);
  EXPECT_NE(t.find("stackgate_http_connections_open 5\n"), std::string::npos);
  EXPECT_NE(t.find("# TYPE stackgate_policy_generation gauge\nstackgate_policy_generation 7\n"),
            std::string::npos);
  EXPECT_NE(t.find("stackgate_build_info{version=\""), std::string::npos);
}

TEST_F(MetricsTest, IgnoresRouteIdsBeyondTheCapacity) {
  HttpMetrics m(router, 1);
  m.observe(0, HttpMetrics::kMaxRoutes, 200, 1);
  EXPECT_EQ(m.count(HttpMetrics::kMaxRoutes, 200), 0u);
}

}  // namespace
}  // namespace sg::http
