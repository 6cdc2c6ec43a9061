// Strict JSON for headers, claims and key sets (rules 3 and 7).
#include "jose/json_reader.hpp"

#include <gtest/gtest.h>

namespace sg::jose {
namespace {

Result<boost::json::object> parse(std::string_view text, JsonLimits limits = {}) {
  return parse_strict_object(text, limits, "claims");
}

TEST(StrictJson, AcceptsOrdinaryObject) {
  auto r = parse(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}],"d":"\u00e9"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at("b").as_object().at("a").as_int64(), 2);
}

TEST(StrictJson, RejectsDuplicateMemberAtTopLevel) {
  auto r = parse(R"({"sub":"alice","sub":"admin"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "claims JSON has a duplicate member name \"sub\"");
}

TEST(StrictJson, RejectsDuplicateMemberInNestedObject) {
  auto r = parse(R"({"act":{"sub":"agent","sub":"root"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
}

TEST(StrictJson, RejectsDuplicateMemberInsideArray) {
  EXPECT_EQ(parse(R"({"x":[1,{"k":1,"k":2}]})").code(), Errc::kMalformedToken);
}

TEST(StrictJson, RejectsDuplicateMemberSpelledWithEscape) {
  EXPECT_EQ(parse(R"({"iss":"a","\u0069ss":"b"})").code(), Errc::kMalformedToken);
}

TEST(StrictJson, SameNameInSiblingObjectsIsNotADuplicate) {
  EXPECT_TRUE(parse(R"({"a":{"x":1},"b":{"x":2}})").ok());
}

TEST(StrictJson, RejectsInvalidUtf8) {
  EXPECT_EQ(parse("{\"a\":\"\xff\"}").code(), Errc::kMalformedToken);
  EXPECT_EQ(parse("{\"a\":\"\xc0\xaf\"}").code(), Errc::kMalformedToken);  // overlong '/'
  EXPECT_EQ(parse(R"({"a":"\ud800"})").code(), Errc::kMalformedToken);     // lone surrogate
}

TEST(StrictJson, RejectsNestingDeeperThanLimit) {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 40; ++i)
    deep += "[";
  for (int i = 0; i < 40; ++i)
    deep += "]";
  deep += "}";
  auto r = parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "claims JSON is nested deeper than 32 levels");
}

TEST(StrictJson, RejectsInputLargerThanLimit) {
  auto r = parse(R"({"a":"0123456789"})", JsonLimits{10, 32});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "claims is larger than 10 bytes");
}

TEST(StrictJson, RejectsNumberOverflowingToInfinity) {
  auto r = parse(R"({"exp":1e400})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "claims JSON has a number out of range");
  EXPECT_EQ(parse(R"({"exp":-1e400})").code(), Errc::kMalformedToken);
}

TEST(StrictJson, RejectsNonStandardJson) {
  for (std::string_view s : {R"({"a":1,})", R"({"a":1} // c)", R"({"a":NaN})", R"({"a":Infinity})",
                             R"({'a':1})", R"({"a":1}{"b":2})", R"({"a":1} x)", ""}) {
    EXPECT_EQ(parse(s).code(), Errc::kMalformedToken) << s;
  }
}

TEST(StrictJson, RejectsNonObjectDocument) {
  for (std::string_view s : {"[]", "1", "\"x\"", "null"}) {
    auto r = parse(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().message, "claims is not a JSON object");
  }
}

TEST(StrictJson, UsesTheRequestedErrorCode) {
  EXPECT_EQ(parse_strict_object("{", {}, "JWKS", Errc::kInvalidArgument).code(),
            Errc::kInvalidArgument);
}

}  // namespace
}  // namespace sg::jose
