#include "http/bearer.hpp"

#include <gtest/gtest.h>

namespace sg::http {
namespace {

Request with(std::vector<Header> headers) {
  Request r;
  r.headers = std::move(headers);
  return r;
}

TEST(Bearer, ReadsTheTokenAfterTheScheme) {
  auto t = bearer_token(with({{"Authorization", "Bearer abc.def-ghi_jkl"}}));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "abc.def-ghi_jkl");
}

TEST(Bearer, SchemeIsCaseInsensitiveAndExtraSpacesAreTrimmed) {
  auto t = bearer_token(with({{"authorization", "bEaReR    tok=="}}));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "tok==");
}

TEST(Bearer, MissingHeaderIsUnauthenticated) {
  auto t = bearer_token(with({{"Accept", "*/*"}}));
  EXPECT_EQ(t.code(), Errc::kUnauthenticated);
}

TEST(Bearer, OtherSchemesAreRefused) {
  EXPECT_EQ(bearer_token(with({{"Authorization", "Basic dXNlcjpwdw=="}})).code(),
            Errc::kMalformedToken);
  EXPECT_EQ(bearer_token(with({{"Authorization", "Bearer"}})).code(), Errc::kMalformedToken);
  EXPECT_EQ(bearer_token(with({{"Authorization", "Bearertok"}})).code(), Errc::kMalformedToken);
}

TEST(Bearer, EmptyOrMalformedTokenIsRefused) {
  for (std::string_view v : {"Bearer ", "Bearer   ", "Bearer a b", "Bearer {\"alg\":1}",
                             "Bearer =abc", "Bearer ab=c", "Bearer a,b"}) {
    EXPECT_EQ(bearer_token(with({{"Authorization", v}})).code(), Errc::kMalformedToken) << v;
  }
}

TEST(Bearer, SeveralAuthorizationHeadersAreRefused) {
  auto t = bearer_token(with({{"Authorization", "Bearer a"}, {"AUTHORIZATION", "Bearer b"}}));
  EXPECT_EQ(t.code(), Errc::kMalformedToken);
  EXPECT_EQ(t.error().message, "more than one Authorization header");
}

}  // namespace
}  // namespace sg::http
