#include "http/request.hpp"

#include <gtest/gtest.h>

namespace sg::http {
namespace {

TEST(Request, HeaderLookupIsCaseInsensitiveAndReturnsTheFirst) {
  Request r;
  r.headers = {{"X-Request-Id", "a"}, {"x-request-id", "b"}, {"Content-Type", "application/json"}};
  EXPECT_EQ(r.header("x-REQUEST-id"), "a");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("Authorization"), std::nullopt);
  EXPECT_EQ(r.header("X-Request-I"), std::nullopt);
}

TEST(Method, RoundTripsKnownMethodsAndMapsTheRestToOther) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    EXPECT_EQ(method_from(method_name(m)), m);
  }
  EXPECT_EQ(method_from("get"), Method::kOther);
  EXPECT_EQ(method_from("BREW"), Method::kOther);
}

}  // namespace
}  // namespace sg::http
