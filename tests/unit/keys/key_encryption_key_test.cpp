// The key-encryption key: accepted spellings, its id, sealing bound to a row, and its errors.
#include "keys/key_encryption_key.hpp"

#include <string>

#include <gtest/gtest.h>

namespace sg::keys {
namespace {

// 32 bytes 0x00..0x1f in each accepted spelling.
constexpr const char* kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kBase64Url = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

KeyEncryptionKey kek(const char* text) {
  return KeyEncryptionKey::from_secret(text).value();
}

TEST(KeyEncryptionKey, HexBase64AndUnpaddedBase64NameTheSameKey) {
  const std::string id = kek(kHex).id();
  EXPECT_EQ(kek(kBase64).id(), id);
  EXPECT_EQ(kek(kBase64Url).id(), id);
  EXPECT_EQ(kek("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n").id(), id);
  EXPECT_EQ(id.size(), 20u);
  EXPECT_TRUE(id.starts_with("kek-"));
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 4), std::string::npos);
}

TEST(KeyEncryptionKey, UrlSafeAlphabetIsAccepted) {
  // 0xfb 0xff ... encodes with '+' and '/' in standard base64, '-' and '_' in base64url.
  const std::string standard = "+/////////////////////////////////////////8=";
  const std::string url = "-_________________________________________8";
  EXPECT_EQ(kek(standard.c_str()).id(), kek(url.c_str()).id());
}

TEST(KeyEncryptionKey, RefusesOtherSecretsWithoutEchoingThem) {
  for (const char* bad : {"", "short-secret", "000102030405060708090a0b0c0d0e0f",
                          "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==",
                          "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                          "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9="}) {
    auto r = KeyEncryptionKey::from_secret(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.code(), Errc::kInvalidConfig);
    EXPECT_NE(r.error().message.find("openssl rand -base64 32"), std::string::npos);
    if (*bad != '\0') {
      EXPECT_EQ(r.error().message.find(bad), std::string::npos);
    }
  }
}

TEST(KeyEncryptionKey, SealsAndOpensForTheSameRow) {
  const KeyEncryptionKey k = kek(kHex);
  auto sealed = k.seal("-----BEGIN TEST PLACEHOLDER-----", "tokens/tokens-1/ES256");
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(is_sealed(*sealed));
  EXPECT_FALSE(is_sealed("-----BEGIN TEST PLACEHOLDER-----\nabc.def\n"));
  EXPECT_EQ(sealed->find("PRIVATE"), std::string::npos);
  auto opened = k.open(*sealed, "tokens/tokens-1/ES256");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, "-----BEGIN TEST PLACEHOLDER-----");
}

TEST(KeyEncryptionKey, RefusesAValueSealedForAnotherRow) {
  const KeyEncryptionKey k = kek(kHex);
  auto sealed = k.seal("pem", "tokens/tokens-1/ES256");
  auto opened = k.open(*sealed, "tokens/tokens-2/ES256");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.code(), Errc::kInternal);
  EXPECT_EQ(opened.error().message, "sealed key belongs to another row");
}

TEST(KeyEncryptionKey, AnotherKekNamesBothIds) {
  const KeyEncryptionKey a = kek(kHex);
  const KeyEncryptionKey b =
      kek("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100");
  auto sealed = a.seal("pem", "audit/audit-1/ES256");
  auto opened = b.open(*sealed, "audit/audit-1/ES256");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.code(), Errc::kInvalidConfig);
  EXPECT_EQ(opened.error().message,
            "keys were encrypted with key-encryption key " + a.id() + ", not " + b.id());
}

TEST(KeyEncryptionKey, AlteredValueIsInternal) {
  const KeyEncryptionKey k = kek(kHex);
  std::string sealed = k.seal("pem", "x").value();
  sealed[sealed.size() - 3] = sealed[sealed.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(k.open(sealed, "x").code(), Errc::kInternal);
  EXPECT_EQ(k.open("not a jwe", "x").code(), Errc::kInternal);
}

TEST(KeyEncryptionKey, CopiesShareTheKey) {
  const KeyEncryptionKey a = kek(kHex);
  const KeyEncryptionKey copy = a;  // NOLINT(performance-unnecessary-copy-initialization)
  auto sealed = a.seal("pem", "x");
  EXPECT_EQ(*copy.open(*sealed, "x"), "pem");
  EXPECT_EQ(copy.id(), a.id());
}

}  // namespace
}  // namespace sg::keys
