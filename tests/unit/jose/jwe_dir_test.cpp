// Compact JWE dir + A256GCM: round trips, strict parsing, and authentication of every segment.
#include "jose/jwe_dir.hpp"

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jose/base64url.hpp"

namespace sg::jose {
namespace {

std::array<unsigned char, 32> key_of(unsigned char fill) {
  std::array<unsigned char, 32> k{};
  k.fill(fill);
  return k;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = s.find('.', start);
    parts.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '.';
    out += parts[i];
  }
  return out;
}

// Flips one bit of the decoded segment `i` and re-encodes it.
std::string tamper(const std::string& compact, std::size_t i) {
  std::vector<std::string> parts = split(compact);
  Bytes b = base64url_decode(parts[i]).value();
  b[0] ^= 0x01;
  parts[i] = base64url_encode(b);
  return join(parts);
}

class JweDir : public ::testing::Test {
 protected:
  std::array<unsigned char, 32> key_ = key_of(0x42);
  std::string sealed_ =
      encrypt_dir_a256gcm(key_, {{"kid", "kek-1"}}, "placeholder plaintext, not a key\nsecret")
          .value();
};

TEST_F(JweDir, RoundTripsPlaintextAndHeader) {
  auto opened = decrypt_dir_a256gcm(key_, sealed_);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->plaintext, "placeholder plaintext, not a key\nsecret");
  EXPECT_EQ(opened->header.at("alg"), "dir");
  EXPECT_EQ(opened->header.at("enc"), "A256GCM");
  EXPECT_EQ(opened->header.at("kid"), "kek-1");
}

TEST_F(JweDir, HasFiveSegmentsWithEmptyKeyTwelveByteIvAndSixteenByteTag) {
  std::vector<std::string> parts = split(sealed_);
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_TRUE(parts[1].empty());
  EXPECT_EQ(base64url_decode(parts[2])->size(), 12u);
  EXPECT_EQ(base64url_decode(parts[4])->size(), 16u);
  EXPECT_EQ(sealed_.find("PRIVATE"), std::string::npos);
}

TEST_F(JweDir, UsesAFreshIvEachTime) {
  auto again =
      encrypt_dir_a256gcm(key_, {{"kid", "kek-1"}}, "placeholder plaintext, not a key\nsecret");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(split(*again)[2], split(sealed_)[2]);
  EXPECT_NE(*again, sealed_);
}

TEST_F(JweDir, RoundTripsEmptyPlaintext) {
  auto sealed = encrypt_dir_a256gcm(key_, {}, "");
  ASSERT_TRUE(sealed.ok());
  auto opened = decrypt_dir_a256gcm(key_, *sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->plaintext, "");
}

TEST_F(JweDir, WrongKeyIsBadSignatureWithPlainMessage) {
  auto opened = decrypt_dir_a256gcm(key_of(0x43), sealed_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.code(), Errc::kBadSignature);
  EXPECT_EQ(opened.error().message, "cannot decrypt: wrong key or altered data");
}

TEST_F(JweDir, TamperedHeaderIvCiphertextOrTagIsBadSignature) {
  for (std::size_t i : {2u, 3u, 4u}) {
    auto opened = decrypt_dir_a256gcm(key_, tamper(sealed_, i));
    EXPECT_EQ(opened.code(), Errc::kBadSignature) << "segment " << i;
  }
  // A header that still parses but differs (the AAD): swap in another kid.
  std::vector<std::string> parts = split(sealed_);
  parts[0] = base64url_encode(std::string(R"({"alg":"dir","enc":"A256GCM","kid":"kek-2"})"));
  EXPECT_EQ(decrypt_dir_a256gcm(key_, join(parts)).code(), Errc::kBadSignature);
}

TEST_F(JweDir, RefusesWrongSegmentCounts) {
  std::vector<std::string> parts = split(sealed_);
  EXPECT_EQ(decrypt_dir_a256gcm(key_, parts[0] + "." + parts[2]).code(), Errc::kMalformedToken);
  EXPECT_EQ(decrypt_dir_a256gcm(key_, sealed_ + ".x").code(), Errc::kMalformedToken);
  EXPECT_EQ(decrypt_dir_a256gcm(key_, "").code(), Errc::kMalformedToken);
}

TEST_F(JweDir, RefusesANonEmptyEncryptedKey) {
  std::vector<std::string> parts = split(sealed_);
  parts[1] = "AAAA";
  EXPECT_EQ(decrypt_dir_a256gcm(key_, join(parts)).code(), Errc::kMalformedToken);
}

TEST_F(JweDir, RefusesOtherAlgOrEnc) {
  for (const char* h : {R"({"alg":"A256KW","enc":"A256GCM"})", R"({"alg":"dir","enc":"A128GCM"})",
                        R"({"alg":"DIR","enc":"A256GCM"})", R"({"enc":"A256GCM"})",
                        R"({"alg":"dir","enc":"A256GCM","zip":"DEF"})"}) {
    std::vector<std::string> parts = split(sealed_);
    parts[0] = base64url_encode(std::string(h));
    EXPECT_EQ(decrypt_dir_a256gcm(key_, join(parts)).code(), Errc::kMalformedToken) << h;
  }
}

TEST_F(JweDir, RefusesDuplicateHeaderMembers) {
  std::vector<std::string> parts = split(sealed_);
  parts[0] = base64url_encode(std::string(R"({"alg":"dir","enc":"A256GCM","alg":"dir"})"));
  EXPECT_EQ(decrypt_dir_a256gcm(key_, join(parts)).code(), Errc::kMalformedToken);
}

TEST_F(JweDir, RefusesWrongIvAndTagSizes) {
  std::vector<std::string> parts = split(sealed_);
  std::vector<std::string> short_iv = parts;
  short_iv[2] = base64url_encode(Bytes(11, 0));
  EXPECT_EQ(decrypt_dir_a256gcm(key_, join(short_iv)).code(), Errc::kMalformedToken);
  std::vector<std::string> short_tag = parts;
  short_tag[4] = base64url_encode(Bytes(12, 0));
  EXPECT_EQ(decrypt_dir_a256gcm(key_, join(short_tag)).code(), Errc::kMalformedToken);
}

TEST_F(JweDir, RefusesLenientBase64) {
  std::vector<std::string> parts = split(sealed_);
  parts[3] += "=";
  EXPECT_EQ(decrypt_dir_a256gcm(key_, join(parts)).code(), Errc::kMalformedToken);
}

TEST_F(JweDir, RefusesOversizedInput) {
  std::string big = sealed_ + std::string(kMaxDirJweBytes, 'A');
  EXPECT_EQ(decrypt_dir_a256gcm(key_, big).code(), Errc::kMalformedToken);
  EXPECT_EQ(encrypt_dir_a256gcm(key_, {}, std::string(kMaxDirJweBytes, 'x')).code(),
            Errc::kInvalidArgument);
}

TEST_F(JweDir, RefusesAlgOrEncInTheExtraHeader) {
  EXPECT_EQ(encrypt_dir_a256gcm(key_, {{"alg", "none"}}, "x").code(), Errc::kInvalidArgument);
  EXPECT_EQ(encrypt_dir_a256gcm(key_, {{"enc", "A128GCM"}}, "x").code(), Errc::kInvalidArgument);
}

TEST_F(JweDir, MessagesNeverContainThePlaintext) {
  auto opened = decrypt_dir_a256gcm(key_of(1), sealed_);
  EXPECT_EQ(opened.error().message.find("secret"), std::string::npos);
  EXPECT_EQ(opened.error().message.find("PRIVATE"), std::string::npos);
}

}  // namespace
}  // namespace sg::jose
