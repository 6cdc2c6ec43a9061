#include "http/query.hpp"

#include <gtest/gtest.h>

namespace sg::http {
namespace {

TEST(Query, DecodesNamesAndValues) {
  auto q = Query::parse("cursor=acme%2Fpayments%2Fprod&limit=10&note=a+b&empty=");
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->get("cursor"), "acme/payments/prod");
  EXPECT_EQ(q->get("limit"), "10");
  EXPECT_EQ(q->get("note"), "a b");
  EXPECT_EQ(q->get("empty"), "");
  EXPECT_EQ(q->get("missing"), std::nullopt);
}

TEST(Query, EmptyQueryAndStrayAmpersandsAreNothing) {
  auto q = Query::parse("");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->get("a"), std::nullopt);
  auto amp = Query::parse("&&a=1&");
  ASSERT_TRUE(amp.ok());
  EXPECT_EQ(amp->get("a"), "1");
}

TEST(Query, RejectsBadPercentEncoding) {
  for (const char* bad : {"a=%", "a=%2", "a=%zz", "%g1=x"}) {
    auto q = Query::parse(bad);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.code(), Errc::kInvalidArgument);
    EXPECT_EQ(q.error().message, "bad percent-encoding in the query");
  }
}

TEST(Query, RejectsRepeatedAndNamelessParameters) {
  EXPECT_EQ(Query::parse("limit=1&limit=2").error().message, "query parameter 'limit' is repeated");
  EXPECT_EQ(Query::parse("=1").error().message, "a query parameter has no name");
}

TEST(Query, RejectsTooManyParameters) {
  std::string many;
  for (std::size_t i = 0; i <= kMaxQueryParams; ++i)
    many += "p" + std::to_string(i) + "=1&";
  EXPECT_EQ(Query::parse(many).error().message, "too many query parameters");
}

TEST(Query, OnlyNamesTheUnknownParameterWhenItIsPrintable) {
  auto q = Query::parse("limit=1&colour=red");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->only({"limit", "colour"}).ok());
  EXPECT_EQ(q->only({"limit", "cursor"}).error().message,
            "unknown query parameter 'colour'; expected limit, cursor");
  auto odd = Query::parse("%0A=1");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->only({"limit"}).error().message, "unknown query parameter; expected limit");
}

}  // namespace
}  // namespace sg::http
