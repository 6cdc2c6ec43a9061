// Canonical JSON (RFC 8785 restricted to integers): sorting, escaping, refusals, and the JCS test
// vectors when ../shared/testdata/jcs holds them.
#include "audit/canonical_json.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>

namespace sg::audit {
namespace {

namespace bj = boost::json;

std::string canon(std::string_view json) {
  Result<std::string> c = canonical_json(bj::parse(json));
  if (!c) return "error: " + c.error().message;
  return *c;
}

TEST(CanonicalJson, SortsNamesByUtf16CodeUnitsAsRfc8785Example) {
  // RFC 8785 §3.2.3: U+1F600 (a surrogate pair, D83D DE00) sorts before U+FB33, unlike in UTF-8
  // or code point order.
  const std::string input = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  EXPECT_EQ(canon(input),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
            "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
            "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

TEST(CanonicalJson, EscapesStringsAsRfc8785Example) {
  // RFC 8785 §3.2.2's example without its numbers, which are doubles.
  const std::string input = R"({
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  EXPECT_EQ(canon(input),
            "{\"literals\":[null,true,false],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'"
            "B\\\"\\\\\\\\\\\"/\"}");
}

TEST(CanonicalJson, UsesShortEscapesThenLowerCaseHexAndNothingElse) {
  static constexpr char kText[] = "\b\f\n\r\t\x00\x01\x1f\x7f/<>&'";
  bj::value v = bj::string(std::string(kText, sizeof kText - 1));
  EXPECT_EQ(*canonical_json(v), "\"\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\x7f/<>&'\"");
  EXPECT_EQ(*canonical_json(bj::string("caf\xC3\xA9 \xF0\x9F\x98\x80")),
            "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
}

TEST(CanonicalJson, DropsWhitespaceSortsNestedObjectsAndKeepsArrayOrder) {
  EXPECT_EQ(
      canon(R"( { "b" : [ 3 , 1 , { "z" : 1 , "a" : [ ] } ] , "a" : { } , "aa" : 0, "B": -7 } )"),
      R"({"B":-7,"a":{},"aa":0,"b":[3,1,{"a":[],"z":1}]})");
  EXPECT_EQ(canon("[]"), "[]");
  EXPECT_EQ(canon("\"\""), "\"\"");
  EXPECT_EQ(canon("null"), "null");
}

TEST(CanonicalJson, WritesIntegersInTheSafeRangeInDecimal) {
  EXPECT_EQ(canon("[0,-1,42,9007199254740991,-9007199254740991]"),
            "[0,-1,42,9007199254740991,-9007199254740991]");
}

TEST(CanonicalJson, RefusesIntegersBeyondTheSafeRange) {
  for (const char* json : {"9007199254740992", "-9007199254740992", "18446744073709551615"}) {
    Result<std::string> c = canonical_json(bj::parse(json));
    ASSERT_FALSE(c.ok()) << json;
    EXPECT_EQ(c.code(), Errc::kInvalidArgument);
  }
  EXPECT_EQ(canonical_json(bj::parse("9007199254740992")).error().message,
            "cannot canonicalise JSON: integer 9007199254740992 is outside ±(2^53 - 1)");
}

TEST(CanonicalJson, RefusesDoubles) {
  for (const char* json : {"1.0", "4.5", "1e30", "[1,2.5]", "{\"a\":{\"b\":-0.0}}"}) {
    Result<std::string> c = canonical_json(bj::parse(json));
    ASSERT_FALSE(c.ok()) << json;
    EXPECT_EQ(c.error().message, "cannot canonicalise JSON: a number is not an integer") << json;
  }
}

TEST(CanonicalJson, RefusesInvalidUtf8InStringsAndNames) {
  const std::string bad[] = {"\xC0\xAF", "\xED\xA0\x80", "\xFF", "abc\xE2\x82"};
  for (const std::string& s : bad) {
    Result<std::string> value = canonical_json(bj::string(s));
    ASSERT_FALSE(value.ok());
    EXPECT_EQ(value.error().message, "cannot canonicalise JSON: a string is not valid UTF-8");
    bj::object o;
    o[s] = 1;
    Result<std::string> name = canonical_json(o);
    ASSERT_FALSE(name.ok());
    EXPECT_EQ(name.error().message, "cannot canonicalise JSON: a member name is not valid UTF-8");
  }
}

bj::value nested_arrays(std::size_t depth) {
  bj::value v = bj::array();
  for (std::size_t i = 1; i < depth; ++i) {
    bj::array outer;
    outer.push_back(std::move(v));
    v = std::move(outer);
  }
  return v;
}

TEST(CanonicalJson, RefusesNestingDeeperThanTheLimit) {
  EXPECT_EQ(canonical_json(nested_arrays(kMaxCanonicalDepth)).value().size(),
            2 * kMaxCanonicalDepth);
  Result<std::string> c = canonical_json(nested_arrays(kMaxCanonicalDepth + 1));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "cannot canonicalise JSON: nesting is too deep");
}

TEST(CanonicalJson, WithoutOmitsOnlyTheTopLevelMember) {
  const bj::object o = bj::parse(R"({"hash":"x","a":{"hash":"kept"},"b":1})").as_object();
  EXPECT_EQ(*canonical_json_without(o, "hash"), R"({"a":{"hash":"kept"},"b":1})");
  EXPECT_EQ(*canonical_json_without(o, "absent"), R"({"a":{"hash":"kept"},"b":1,"hash":"x"})");
}

TEST(CanonicalNameOrder, ComparesUtf16CodeUnitsAndPrefixesFirst) {
  EXPECT_TRUE(canonical_name_less("", "a"));
  EXPECT_TRUE(canonical_name_less("a", "aa"));
  EXPECT_FALSE(canonical_name_less("aa", "a"));
  EXPECT_FALSE(canonical_name_less("a", "a"));
  EXPECT_TRUE(canonical_name_less("B", "a"));
  EXPECT_TRUE(canonical_name_less("\x7f", "\xC2\x80"));                      // U+007F < U+0080
  EXPECT_TRUE(canonical_name_less("\xED\x9F\xBF", "\xF0\x9F\x98\x80"));      // U+D7FF < U+1F600
  EXPECT_TRUE(canonical_name_less("\xF0\x9F\x98\x80", "\xEE\x80\x80"));      // U+1F600 < U+E000
  EXPECT_TRUE(canonical_name_less("\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"));  // U+10000 < U+10FFFF
  EXPECT_FALSE(canonical_name_less("\xEF\xBF\xBF", "\xF0\x9F\x98\x80"));     // U+FFFF > U+1F600
}

// The JCS test vectors (cyberphone/json-canonicalization testdata layout: input/*.json and
// output/*.json) under <shared>/testdata/jcs. Inputs holding doubles must be refused; the others
// must give the expected bytes exactly.
TEST(CanonicalJson, MatchesTheJcsTestVectors) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(STACKGATE_SHARED_DIR) / "testdata" / "jcs";
  if (!fs::is_directory(dir / "input") || !fs::is_directory(dir / "output")) {
    GTEST_SKIP() << "JCS test vectors not found under " << dir.string()
                 << " (expected input/*.json and output/*.json); only the RFC 8785 examples "
                    "above were checked";
  }
  auto read = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  int compared = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir / "input")) {
    if (entry.path().extension() != ".json") continue;
    const fs::path expected_path = dir / "output" / entry.path().filename();
    if (!fs::exists(expected_path)) continue;
    const bj::value input = bj::parse(read(entry.path()));
    std::string expected = read(expected_path);
    while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) {
      expected.pop_back();
    }
    Result<std::string> got = canonical_json(input);
    if (!got && got.error().message == "cannot canonicalise JSON: a number is not an integer") {
      continue;  // a vector about number formatting: out of our scope, refused as it must be
    }
    ASSERT_TRUE(got.ok()) << entry.path() << ": " << got.error().message;
    EXPECT_EQ(*got, expected) << entry.path();
    ++compared;
  }
  EXPECT_GT(compared, 0) << "no vector without doubles was found";
}

}  // namespace
}  // namespace sg::audit
