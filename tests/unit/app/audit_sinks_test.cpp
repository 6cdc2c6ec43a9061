// make_audit_sinks: one runner per configured sink, named and keyed as the docs say, and every
// configuration error named.
#include "app/audit_sinks.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::app {
namespace {

using config::AuditConfig;
using config::AuditSinkConfig;
using config::SecretRef;

AuditSinkConfig stdout_sink() {
  return AuditSinkConfig{};
}
AuditSinkConfig file_sink(std::string path) {
  AuditSinkConfig c;
  c.kind = AuditSinkConfig::Kind::kFile;
  c.path = std::move(path);
  return c;
}
AuditSinkConfig webhook_sink(std::string url, std::optional<SecretRef> token, unsigned batch) {
  AuditSinkConfig c;
  c.kind = AuditSinkConfig::Kind::kWebhook;
  c.url = std::move(url);
  c.token = std::move(token);
  c.batch = batch;
  return c;
}

class MakeAuditSinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::open({.path = dir_.file("stackgate.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    ::setenv("SG_TEST_SIEM_TOKEN", "token-value-1", 1);
    ::unsetenv("SG_TEST_UNSET_TOKEN");
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::SqliteStore> store_;
  struct DevNull {
    int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    ~DevNull() { ::close(fd); }
  } null_;  // declared before the logger, so closed after it
  Logger log_{null_.fd};
};

TEST_F(MakeAuditSinksTest, NoSinksMakeNoRunners) {
  auto runners = make_audit_sinks(AuditConfig{}, *store_, log_);
  ASSERT_TRUE(runners.ok()) << runners.error().message;
  EXPECT_TRUE(runners->empty());
}

TEST_F(MakeAuditSinksTest, BuildsOneRunnerPerSinkInOrderNotStarted) {
  AuditConfig config;
  const std::string path = dir_.file("audit.jsonl");
  config.sinks = {stdout_sink(), file_sink(path),
                  webhook_sink("https://siem.example.com/in?index=a",
                               SecretRef{SecretRef::Source::kEnv, "SG_TEST_SIEM_TOKEN"}, 20)};
  auto runners = make_audit_sinks(config, *store_, log_);
  ASSERT_TRUE(runners.ok()) << runners.error().message;
  ASSERT_EQ(runners->size(), 3u);
  const auto& r = *runners;
  EXPECT_EQ(r[0]->name(), "stdout");
  EXPECT_EQ(r[1]->name(), "file:" + path);
  EXPECT_EQ(r[2]->name(), "webhook:https://siem.example.com/in");
  EXPECT_EQ(r[0]->options().batch, 100u);
  EXPECT_EQ(r[1]->options().batch, 100u);
  EXPECT_EQ(r[2]->options().batch, 20u);
  EXPECT_EQ(r[1]->options().cursor_key, "audit.sink.file:" + path + ".seq");
  EXPECT_EQ(r[2]->options().cursor_key, "audit.sink.webhook:https://siem.example.com/in.seq");
  EXPECT_TRUE(std::filesystem::exists(path));  // opened (created) now
  EXPECT_EQ(store::testing::mode_of(path), 0600);
  for (const auto& runner : r)
    EXPECT_FALSE(runner->state().running);
  auto key = store_->get_meta("audit.sink.file:" + path + ".seq");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, std::nullopt);  // the cursor is stored by start()
}

TEST_F(MakeAuditSinksTest, AFileThatCannotBeOpenedIsAConfigErrorNamingTheSink) {
  AuditConfig config;
  const std::string path = dir_.file("missing/audit.jsonl");
  config.sinks = {stdout_sink(), file_sink(path)};
  auto runners = make_audit_sinks(config, *store_, log_);
  ASSERT_FALSE(runners.ok());
  EXPECT_EQ(runners.code(), Errc::kInvalidConfig);
  EXPECT_EQ(runners.error().message,
            "audit.sinks[1]: audit sink file:" + path + ": cannot open: No such file or directory");
}

TEST_F(MakeAuditSinksTest, AnUnreadableWebhookTokenNamesTheReference) {
  AuditConfig config;
  config.sinks = {webhook_sink("https://siem.example.com/in",
                               SecretRef{SecretRef::Source::kEnv, "SG_TEST_UNSET_TOKEN"}, 100)};
  auto runners = make_audit_sinks(config, *store_, log_);
  ASSERT_FALSE(runners.ok());
  EXPECT_EQ(runners.code(), Errc::kInvalidConfig);
  EXPECT_EQ(runners.error().message,
            "audit.sinks[0].webhook.token: secret env:SG_TEST_UNSET_TOKEN is not set");
}

TEST_F(MakeAuditSinksTest, AWebhookTokenWithALineBreakIsRefusedWithoutShowingIt) {
  ::setenv("SG_TEST_SIEM_TOKEN", "token-value-1\r\nX-Injected: 1", 1);
  AuditConfig config;
  config.sinks = {webhook_sink("https://siem.example.com/in",
                               SecretRef{SecretRef::Source::kEnv, "SG_TEST_SIEM_TOKEN"}, 100)};
  auto runners = make_audit_sinks(config, *store_, log_);
  ASSERT_FALSE(runners.ok());
  EXPECT_EQ(runners.code(), Errc::kInvalidConfig);
  EXPECT_EQ(runners.error().message,
            "audit.sinks[0].webhook.token: secret env:SG_TEST_SIEM_TOKEN holds a control "
            "character");
}

TEST_F(MakeAuditSinksTest, TheSameSinkTwiceIsRefused) {
  AuditConfig config;
  const std::string path = dir_.file("audit.jsonl");
  config.sinks = {file_sink(path), stdout_sink(), file_sink(path)};
  auto runners = make_audit_sinks(config, *store_, log_);
  ASSERT_FALSE(runners.ok());
  EXPECT_EQ(runners.code(), Errc::kInvalidConfig);
  EXPECT_EQ(runners.error().message,
            "audit.sinks[2]: the same sink as audit.sinks[0] (file:" + path + ")");

  config.sinks = {webhook_sink("https://siem.example.com/in?index=a", std::nullopt, 100),
                  webhook_sink("https://siem.example.com/in?index=b", std::nullopt, 100)};
  runners = make_audit_sinks(config, *store_, log_);
  ASSERT_FALSE(runners.ok());
  EXPECT_EQ(
      runners.error().message,
      "audit.sinks[1]: the same sink as audit.sinks[0] (webhook:https://siem.example.com/in)");
}

}  // namespace
}  // namespace sg::app
