// Secret fields: only {env: NAME} or {file: PATH}, never inline; SecretRef::resolve and its errors.
#include <cstdlib>

#include "config_test_support.hpp"

namespace sg::config {
namespace {

using testing::expect_loaded;
using testing::expect_single_error;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

TEST(ConfigSecrets, InlineSecretIsRefusedWithoutQuotingIt) {
  TempDir dir;
  auto r = dir.load("tokens:\n  key_encryption_key: \"hunter2-very-secret\"\n");
  expect_single_error(r, 2, 23,
                      {"tokens.key_encryption_key: secrets must not be inline; use {env: NAME} or "
                       "{file: PATH}"});
  EXPECT_THAT(r.diagnostics[0].message, Not(HasSubstr("hunter2")));
}

TEST(ConfigSecrets, InlineNumberSecretIsRefusedToo) {
  TempDir dir;
  auto r = dir.load("catalog:\n  backstage_url: \"http://localhost:7007\"\n  token: 12345678\n");
  expect_single_error(r, 3, 10, {"catalog.token: secrets must not be inline"});
  EXPECT_THAT(r.diagnostics[0].message, Not(HasSubstr("12345678")));
}

TEST(ConfigSecrets, EnvReferenceIsRead) {
  TempDir dir;
  auto r = dir.load("tokens:\n  key_encryption_key: { env: GW_KEK }\n");
  expect_loaded(r);
  ASSERT_TRUE(r.config->tokens.key_encryption_key.has_value());
  EXPECT_EQ(r.config->tokens.key_encryption_key->source, SecretRef::Source::kEnv);
  EXPECT_EQ(r.config->tokens.key_encryption_key->describe(), "env:GW_KEK");
}

TEST(ConfigSecrets, RelativeFileReferenceIsResolvedAgainstTheConfigFolder) {
  TempDir dir;
  auto r = dir.load("tokens:\n  key_encryption_key: { file: secrets/kek }\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->tokens.key_encryption_key->source, SecretRef::Source::kFile);
  EXPECT_EQ(r.config->tokens.key_encryption_key->describe(), "file:" + dir.str("secrets/kek"));
}

TEST(ConfigSecrets, BadEnvNameIsRefusedWithoutQuotingIt) {
  TempDir dir;
  auto r = dir.load("tokens:\n  key_encryption_key: { env: \"sk-live-1234\" }\n");
  expect_single_error(
      r, 2, 30,
      {"tokens.key_encryption_key.env: expected an environment variable name matching "
       "[A-Za-z_][A-Za-z0-9_]*"});
  EXPECT_THAT(r.diagnostics[0].message, Not(HasSubstr("sk-live")));
}

TEST(ConfigSecrets, BothEnvAndFileIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("tokens:\n  key_encryption_key: { env: A, file: b }\n"), 2, 23,
                      {"tokens.key_encryption_key: set only one of env or file, not several"});
}

TEST(ConfigSecrets, NeitherEnvNorFileIsRefused) {
  TempDir dir;
  auto r = dir.load("tokens:\n  key_encryption_key: { value: \"hunter2\" }\n");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_THAT(r.diagnostics[0].message,
              HasSubstr("tokens.key_encryption_key: expected one of the keys env or file"));
  EXPECT_THAT(r.diagnostics[1].message, HasSubstr("tokens.key_encryption_key.value: unknown key"));
  for (const Diagnostic& d : r.diagnostics)
    EXPECT_THAT(d.message, Not(HasSubstr("hunter2")));
}

TEST(ConfigSecrets, ListIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("tokens:\n  key_encryption_key: [a]\n"), 2, 23,
                      {"expected {env: NAME} or {file: PATH}, got a list"});
}

class SecretResolve : public ::testing::Test {
 protected:
  void TearDown() override { ::unsetenv(kVar); }
  static constexpr const char* kVar = "STACKGATE_CONFIG_TEST_SECRET";
  TempDir dir_;
};

TEST_F(SecretResolve, EnvValueIsReturned) {
  ::setenv(kVar, "s3cret", 1);
  auto r = SecretRef{SecretRef::Source::kEnv, kVar}.resolve();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "s3cret");
}

TEST_F(SecretResolve, UnsetEnvIsInvalidConfigNamingTheVariable) {
  auto r = SecretRef{SecretRef::Source::kEnv, kVar}.resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidConfig);
  EXPECT_EQ(r.error().message, std::string("secret env:") + kVar + " is not set");
}

TEST_F(SecretResolve, EmptyEnvIsInvalidConfig) {
  ::setenv(kVar, "", 1);
  auto r = SecretRef{SecretRef::Source::kEnv, kVar}.resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidConfig);
  EXPECT_EQ(r.error().message, std::string("secret env:") + kVar + " is empty");
}

TEST_F(SecretResolve, FileValueLosesOneTrailingNewline) {
  std::string path = dir_.write("kek", "line1\nline2\n\n");
  auto r = SecretRef{SecretRef::Source::kFile, path}.resolve();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "line1\nline2\n");
}

TEST_F(SecretResolve, FileWithoutTrailingNewlineIsReturnedAsIs) {
  std::string path = dir_.write("kek", "abc");
  auto r = SecretRef{SecretRef::Source::kFile, path}.resolve();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "abc");
}

TEST_F(SecretResolve, MissingFileIsInvalidConfigNamingTheFile) {
  SecretRef ref{SecretRef::Source::kFile, dir_.str("absent")};
  auto r = ref.resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidConfig);
  EXPECT_EQ(r.error().message,
            "secret file:" + dir_.str("absent") + " cannot be read: No such file or directory");
}

TEST_F(SecretResolve, OversizedFileIsRefusedWithoutItsContents) {
  std::string path = dir_.write("big", std::string(64 * 1024 + 1, 'k'));
  auto r = SecretRef{SecretRef::Source::kFile, path}.resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidConfig);
  EXPECT_EQ(r.error().message, "secret file:" + path + " is larger than 64 KiB");
}

TEST_F(SecretResolve, FileOfExactly64KiBIsAccepted) {
  std::string path = dir_.write("edge", std::string(64 * 1024, 'k'));
  auto r = SecretRef{SecretRef::Source::kFile, path}.resolve();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 64u * 1024);
}

TEST_F(SecretResolve, DirectoryIsNotARegularFile) {
  auto r = SecretRef{SecretRef::Source::kFile, dir_.mkdir("d")}.resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidConfig);
  EXPECT_THAT(r.error().message, HasSubstr("is not a regular file"));
}

TEST_F(SecretResolve, EmptyFileIsInvalidConfig) {
  std::string path = dir_.write("empty", "\n");
  auto r = SecretRef{SecretRef::Source::kFile, path}.resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "secret file:" + path + " is empty");
}

}  // namespace
}  // namespace sg::config
