#include "common/json_text.hpp"

#include <gtest/gtest.h>

namespace sg {
namespace {

TEST(JsonText, QuotesPlainAscii) {
  EXPECT_EQ(json_quote("hello"), "\"hello\"");
}

TEST(JsonText, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_quote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_quote("l1\nl2\r\t"), R"("l1\nl2\r\t")");
  EXPECT_EQ(json_quote(std::string_view("\x01\x1f\x7f", 3)), R"("\u0001\u001f\u007f")");
  EXPECT_EQ(json_quote(std::string_view("a\0b", 3)), R"("a\u0000b")");
}

TEST(JsonText, KeepsValidUtf8) {
  EXPECT_EQ(json_quote("dépôt — ✓ 🚀"), "\"dépôt — ✓ 🚀\"");
}

TEST(JsonText, ReplacesInvalidUtf8WithReplacementCharacter) {
  EXPECT_EQ(json_quote("\xff"), R"("\ufffd")");
  EXPECT_EQ(json_quote("a\xc3"), R"("a\ufffd")");                              // truncated sequence
  EXPECT_EQ(json_quote("\xc0\xaf"), R"("\ufffd\ufffd")");                      // overlong '/'
  EXPECT_EQ(json_quote("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");            // UTF-16 surrogate
  EXPECT_EQ(json_quote("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
}

TEST(JsonText, Utf8SequenceLength) {
  EXPECT_EQ(utf8_sequence_length("a", 0), 1u);
  EXPECT_EQ(utf8_sequence_length("é", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("✓", 0), 3u);
  EXPECT_EQ(utf8_sequence_length("🚀", 0), 4u);
  EXPECT_EQ(utf8_sequence_length("\x80", 0), 0u);
}

}  // namespace
}  // namespace sg
