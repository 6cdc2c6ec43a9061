// Rule 2: strict base64url.
#include "jose/base64url.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <random>

namespace sg::jose {
namespace {

std::string decode_str(std::string_view s) {
  auto r = base64url_decode(s);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::string(as_chars(*r)) : std::string();
}

TEST(Base64url, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(std::string_view("")), "");
  EXPECT_EQ(base64url_encode(std::string_view("f")), "Zg");
  EXPECT_EQ(base64url_encode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(base64url_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64url_encode(std::string_view("foob")), "Zm9vYg");
  EXPECT_EQ(base64url_encode(std::string_view("fooba")), "Zm9vYmE");
  EXPECT_EQ(base64url_encode(std::string_view("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode(Bytes{0xfb, 0xff}), "-_8");
}

TEST(Base64url, DecodesWhatItEncodesForEveryLengthAndByte) {
  Bytes data;
  for (int i = 0; i < 300; ++i) {
    auto r = base64url_decode(base64url_encode(data));
    ASSERT_TRUE(r.ok()) << i;
    EXPECT_EQ(*r, data);
    data.push_back(static_cast<std::uint8_t>(i * 37 + 11));
  }
  EXPECT_EQ(decode_str("Zm9vYmFy"), "foobar");
  EXPECT_EQ(decode_str(""), "");
}

TEST(Base64url, RejectsABadCharacterAtEveryPosition) {
  // Long inputs are decoded eight characters at a time; a bad one anywhere must be found.
  Bytes data;
  for (int i = 0; i < 96; ++i)
    data.push_back(static_cast<std::uint8_t>(i * 53 + 7));
  const std::string good = base64url_encode(data);
  ASSERT_EQ(good.size(), 128u);
  for (std::size_t pos = 0; pos < good.size(); ++pos) {
    for (const char bad : {'+', '!', '\x80', '\xff', '\0'}) {
      std::string text = good;
      text[pos] = bad;
      auto r = base64url_decode(text);
      ASSERT_FALSE(r.ok()) << pos << " " << static_cast<int>(bad);
      EXPECT_EQ(r.code(), Errc::kMalformedToken);
    }
  }
}

// A plain bit-by-bit decoder, the reference for the optimised one: strict alphabet, no padding,
// length not 1 mod 4, zero unused bits.
std::optional<Bytes> reference_decode(std::string_view text) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  if (text.size() % 4 == 1) return std::nullopt;
  Bytes out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    const std::size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<std::uint8_t>(bits >> count));
      bits &= (1u << count) - 1;
    }
  }
  if (bits != 0) return std::nullopt;
  return out;
}

TEST(Base64url, AgreesWithAPlainDecoderOnRandomInput) {
  std::mt19937 rng(20261129);
  const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int n = 0; n < 20000; ++n) {
    std::string text(rng() % 200, 'A');
    for (char& c : text)
      c = chars[rng() % chars.size()];
    if (!text.empty() && rng() % 4 == 0) {  // one character from anywhere in the byte range
      text[rng() % text.size()] = static_cast<char>(rng() % 256);
    }
    const auto want = reference_decode(text);
    const auto got = base64url_decode(text);
    ASSERT_EQ(got.ok(), want.has_value()) << text;
    if (want) {
      ASSERT_EQ(*got, *want) << text;
    } else {
      ASSERT_EQ(got.code(), Errc::kMalformedToken);
    }
  }
}

TEST(Base64url, RejectsPaddedBase64url) {
  auto r = base64url_decode("Zg==");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "base64url must not be padded");
  EXPECT_EQ(base64url_decode("Zm8=").code(), Errc::kMalformedToken);
}

TEST(Base64url, RejectsWhitespace) {
  for (std::string_view s : {"Zm9v Zm9v", " Zm9v", "Zm9v\n", "Zm9v\t", "Zm\r9v"}) {
    auto r = base64url_decode(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.code(), Errc::kMalformedToken);
  }
}

TEST(Base64url, RejectsStandardAlphabetPlusAndSlash) {
  auto plus = base64url_decode("-_+A");
  ASSERT_FALSE(plus.ok());
  EXPECT_EQ(plus.code(), Errc::kMalformedToken);
  EXPECT_EQ(plus.error().message, "base64url must not use the '+' or '/' alphabet");
  EXPECT_EQ(base64url_decode("ab/A").code(), Errc::kMalformedToken);
}

TEST(Base64url, RejectsLengthOneMod4) {
  auto r = base64url_decode("Zm9vY");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kMalformedToken);
  EXPECT_EQ(r.error().message, "base64url length is 1 mod 4");
  EXPECT_EQ(base64url_decode("A").code(), Errc::kMalformedToken);
}

TEST(Base64url, RejectsNonZeroTrailingBits) {
  // "Zg" is "f" and "Zm8" is "fo"; these spell the same bytes with non-zero unused bits.
  // "AB" is Wycheproof's ModifiedUnusedBitsInPayload (tcId 374).
  for (std::string_view s : {"Zh", "Zi", "Zv", "Zm9", "Zm-", "AB"}) {
    auto r = base64url_decode(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.code(), Errc::kMalformedToken);
    EXPECT_EQ(r.error().message, "base64url has non-zero unused trailing bits");
  }
  EXPECT_TRUE(base64url_decode("Zg").ok());
  EXPECT_TRUE(base64url_decode("Zm8").ok());
}

TEST(Base64url, RejectsOtherCharacters) {
  for (std::string_view s : {std::string_view("Zm9v?"), std::string_view("Zm.v"),
                             std::string_view("Zm9v\xc3\xa9"), std::string_view("Zm\0v", 4)}) {
    EXPECT_EQ(base64url_decode(s).code(), Errc::kMalformedToken);
  }
}

}  // namespace
}  // namespace sg::jose
