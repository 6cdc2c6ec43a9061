// Strict JSON for headers, claims and key sets (rules 3 and 7).
#include "jose/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sg::jose {
namespace {

// {"a":[[…]]} with `levels` nested arrays.
std::string nested_arrays(int levels) {
  return "{\"a\":" + std::string(static_cast<std::size_t>(levels), '[') +
         std::string(static_cast<std::size_t>(levels), ']') + "}";
}

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
  const std::string deep = nested_arrays(40);
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

// Records what scan_strict_object reports, as text: "name=value" for members, "name[]=value" for
// elements of top-level arrays.
class Recorder final : public JsonVisitor {
 public:
  std::vector<std::string> seen;
  void member(std::string_view name, const JsonValue& v) override {
    seen.push_back(std::string(name) + "=" + show(v));
  }
  void element(std::string_view name, const JsonValue& v) override {
    seen.push_back(std::string(name) + "[]=" + show(v));
  }

 private:
  static std::string show(const JsonValue& v) {
    switch (v.kind) {
      case JsonValue::Kind::kString:
        return "'" + std::string(v.string) + "'";
      case JsonValue::Kind::kInt64:
        return std::to_string(v.int64);
      case JsonValue::Kind::kUint64:
        return std::to_string(v.uint64) + "u";
      case JsonValue::Kind::kDouble:
        return std::to_string(v.number);
      case JsonValue::Kind::kBool:
        return v.boolean ? "true" : "false";
      case JsonValue::Kind::kNull:
        return "null";
      case JsonValue::Kind::kObject:
        return "{}";
      case JsonValue::Kind::kArray:
        return "[]";
    }
    return "?";
  }
};

TEST(StrictJsonScan, ReportsTopLevelMembersAndTheElementsOfTheirArrays) {
  Recorder r;
  ASSERT_TRUE(scan_strict_object(
                  R"({"s":"a\u00e9","i":-3,"u":18446744073709551615,"d":1.5,"b":true,"n":null,)"
                  R"("o":{"x":"hidden","y":[1]},"a":["e",2,["hidden"],{"z":"hidden"},false]})",
                  {}, "claims", r)
                  .ok());
  EXPECT_EQ(r.seen,
            (std::vector<std::string>{"s='a\xc3\xa9'", "i=-3", "u=18446744073709551615u",
                                      "d=1.500000", "b=true", "n=null", "o={}", "a=[]", "a[]='e'",
                                      "a[]=2", "a[]=[]", "a[]={}", "a[]=false"}));
}

TEST(StrictJsonScan, ReportsNothingForAnArrayDocument) {
  Recorder r;
  auto s = scan_strict_object(R"(["a",{"b":1}])", {}, "claims", r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "claims is not a JSON object");
  EXPECT_TRUE(r.seen.empty());
}

TEST(StrictJsonScan, RefusesWhatTheBuilderRefusesWithTheSameErrors) {
  const std::string deep = nested_arrays(40);
  std::string many = "{";  // enough members for the hash-set duplicate check
  for (int i = 0; i < 40; ++i)
    many += "\"m" + std::to_string(i) + "\":{\"k\":1},";
  const std::vector<std::string> bad = {R"({"sub":"alice","sub":"admin"})",
                                        R"({"act":{"sub":"agent","sub":"root"}})",
                                        R"({"x":[1,{"k":1,"k":2}]})",
                                        R"({"iss":"a","\u0069ss":"b"})",
                                        "{\"a\":\"\xff\"}",
                                        R"({"a":"\ud800"})",
                                        deep,
                                        R"({"exp":1e400})",
                                        R"({"a":1,})",
                                        R"({"a":1} // c)",
                                        R"({"a":NaN})",
                                        R"({'a':1})",
                                        R"({"a":1}{"b":2})",
                                        R"({"a":1} x)",
                                        "",
                                        "[]",
                                        "1",
                                        "null",
                                        R"({"a":"0123456789"})",
                                        many + "\"m7\":2}"};
  for (const std::string& text : bad) {
    const JsonLimits limits{text.size() > 300 || text == R"({"a":"0123456789"})" ? 10u : 16384u,
                            32};
    Recorder r;
    auto scanned = scan_strict_object(text, limits, "claims", r, Errc::kInvalidArgument);
    auto built = parse_strict_object(text, limits, "claims", Errc::kInvalidArgument);
    ASSERT_FALSE(built.ok()) << text;
    ASSERT_FALSE(scanned.ok()) << text;
    EXPECT_EQ(scanned.code(), Errc::kInvalidArgument) << text;
    EXPECT_EQ(scanned.error().message, built.error().message) << text;
  }
  // Without the size limit, the many-member object is refused for its duplicate, not its size.
  Recorder r;
  auto scanned = scan_strict_object(many + "\"m7\":2}", {}, "claims", r);
  ASSERT_FALSE(scanned.ok());
  EXPECT_EQ(scanned.error().message, "claims JSON has a duplicate member name \"m7\"");
}

TEST(StrictJsonScan, AcceptsWhatTheBuilderAccepts) {
  std::string many = "{";
  for (int i = 0; i < 40; ++i)
    many += "\"m" + std::to_string(i) + "\":{\"k\":1},";
  many += "\"last\":[]}";
  for (const std::string& text :
       {std::string(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}],"d":"\u00e9"})"),
        std::string(R"({"a":{"x":1},"b":{"x":2}})"), std::string("{}"), many}) {
    Recorder r;
    EXPECT_TRUE(scan_strict_object(text, {}, "claims", r).ok()) << text;
    EXPECT_TRUE(parse_strict_object(text, {}, "claims").ok()) << text;
  }
}

TEST(StrictJson, UsesTheRequestedErrorCode) {
  EXPECT_EQ(parse_strict_object("{", {}, "JWKS", Errc::kInvalidArgument).code(),
            Errc::kInvalidArgument);
}

}  // namespace
}  // namespace sg::jose
