#include "http/router.hpp"

#include <gtest/gtest.h>

namespace sg::http {
namespace {

Response text(std::string s) {
  return Response{200, kPlainText, std::move(s), {}, {}, {}};
}

Request make(Method m, std::string_view path) {
  Request r;
  r.method = m;
  r.path = path;
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::kGet, "/healthz", [](Request&) { return text("health"); });
    router.add(Method::kGet, "/v1/stacks/{org}/{project}/{stack}",
               [](Request& r) { return text(std::string(r.param("stack"))); });
    router.add(Method::kPost, "/v1/stacks/{org}/{project}/{stack}/runs",
               [](Request&) { return text("run"); });
    router.add(Method::kPost, "/v1/runs/{id}/cancel", [](Request&) { return text("cancel"); });
    router.add(Method::kDelete, "/v1/runs/{id}/cancel", [](Request&) { return text("uncancel"); });
  }
  Router router;
};

TEST_F(RouterTest, FindsLiteralRoute) {
  Request r = make(Method::kGet, "/healthz");
  auto m = router.match(r);
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(router.labels()[m.route_id], "/healthz");
  EXPECT_EQ((*m.handler)(r).body, "health");
}

TEST_F(RouterTest, ExtractsPathParameters) {
  Request r = make(Method::kGet, "/v1/stacks/acme/payments/prod");
  auto m = router.match(r);
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(r.param("org"), "acme");
  EXPECT_EQ(r.param("project"), "payments");
  EXPECT_EQ(r.param("stack"), "prod");
  EXPECT_EQ(r.param("missing"), "");
  EXPECT_EQ(router.labels()[m.route_id], "/v1/stacks/{org}/{project}/{stack}");
}

TEST_F(RouterTest, ParameterNeverMatchesAnEmptySegment) {
  Request r = make(Method::kGet, "/v1/stacks/acme//prod");
  EXPECT_EQ(router.match(r).kind, Router::Match::Kind::kNotFound);
}

TEST_F(RouterTest, TrailingSlashAndExtraSegmentsAreNotFound) {
  for (std::string_view p : {"/healthz/", "/healthz/x", "/v1/stacks/a/b/c/d", "/v1/stacks/a/b", "",
                             "healthz", "/HEALTHZ"}) {
    Request r = make(Method::kGet, p);
    auto m = router.match(r);
    EXPECT_EQ(m.kind, Router::Match::Kind::kNotFound) << p;
    EXPECT_EQ(m.route_id, router.unmatched_id()) << p;
  }
}

TEST_F(RouterTest, PercentEncodedSlashIsNotASeparator) {
  Request r = make(Method::kGet, "/v1/stacks/acme/pay%2Fments/prod");
  ASSERT_EQ(router.match(r).kind, Router::Match::Kind::kFound);
  EXPECT_EQ(r.param("project"), "pay%2Fments");
  Request r2 = make(Method::kGet, "/v1/stacks/acme%2Fpayments/prod");
  EXPECT_EQ(router.match(r2).kind, Router::Match::Kind::kNotFound);
}

TEST_F(RouterTest, KnownPathUnderOtherMethodIsMethodNotAllowedWithAllow) {
  Request r = make(Method::kPost, "/healthz");
  auto m = router.match(r);
  EXPECT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
  EXPECT_EQ(router.labels()[m.route_id], "/healthz");
}

TEST_F(RouterTest, AllowListsEveryMethodOfThePathInOrder) {
  Request r = make(Method::kGet, "/v1/runs/42/cancel");
  auto m = router.match(r);
  EXPECT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST, DELETE");
}

TEST_F(RouterTest, HeadIsServedByTheGetRoute) {
  Request r = make(Method::kHead, "/healthz");
  auto m = router.match(r);
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(router.labels()[m.route_id], "/healthz");
}

TEST_F(RouterTest, UnknownMethodOnKnownPathIsMethodNotAllowed) {
  Request r = make(Method::kOther, "/healthz");
  EXPECT_EQ(router.match(r).kind, Router::Match::Kind::kMethodNotAllowed);
}

TEST_F(RouterTest, MethodsOfOnePatternShareOneLabel) {
  Request post = make(Method::kPost, "/v1/runs/1/cancel");
  Request del = make(Method::kDelete, "/v1/runs/1/cancel");
  EXPECT_EQ(router.match(post).route_id, router.match(del).route_id);
  EXPECT_EQ(router.labels().back(), Router::kUnmatched);
  EXPECT_EQ(router.labels().size(), 5u);  // four patterns + unmatched
}

TEST(Router, RejectsDuplicateRoute) {
  Router router;
  router.add(Method::kGet, "/a", [](Request&) { return Response{}; });
  EXPECT_THROW(router.add(Method::kGet, "/a", [](Request&) { return Response{}; }),
               std::invalid_argument);
}

TEST(Router, RejectsPatternWithoutLeadingSlash) {
  Router router;
  EXPECT_THROW(router.add(Method::kGet, "a", [](Request&) { return Response{}; }),
               std::invalid_argument);
}

}  // namespace
}  // namespace sg::http
