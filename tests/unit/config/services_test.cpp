// The `tokens`, `pulumi`, `catalog` and `audit` sections.
#include "config_test_support.hpp"

namespace sg::config {
namespace {

using namespace std::chrono_literals;
using testing::expect_loaded;
using testing::expect_single_error;
using testing::TempDir;

TEST(ConfigTokens, ReadsEveryKey) {
  TempDir dir;
  auto r =
      dir.load("tokens: { algorithm: EdDSA, default_ttl: 5m, max_ttl: 2h, rotate_every: 7d }\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->tokens.algorithm, "EdDSA");
  EXPECT_EQ(r.config->tokens.default_ttl, 5min);
  EXPECT_EQ(r.config->tokens.max_ttl, 2h);
  EXPECT_EQ(r.config->tokens.rotate_every, 7 * 24h);
}

TEST(ConfigTokens, DefaultTtlLongerThanMaxTtlIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("tokens:\n  default_ttl: 2h\n  max_ttl: 1h\n"), 2, 16,
                      {"tokens.default_ttl: must not be longer than max_ttl (1h), got 2h"});
}

TEST(ConfigTokens, DefaultTtlIsComparedWithTheDefaultMaxTtl) {
  TempDir dir;
  expect_single_error(dir.load("tokens:\n  default_ttl: 3h\n"), 2, 16,
                      {"must not be longer than max_ttl (1h), got 3h"});
}

TEST(ConfigPulumi, ReadsEveryKey) {
  TempDir dir;
  auto r = dir.load(
      "pulumi: { command: /usr/bin/pulumi, max_concurrent_runs: 8, run_timeout: 2h, "
      "cancel_grace: 10s }\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->pulumi.command, "/usr/bin/pulumi");
  EXPECT_EQ(r.config->pulumi.max_concurrent_runs, 8u);
  EXPECT_EQ(r.config->pulumi.run_timeout, 2h);
  EXPECT_EQ(r.config->pulumi.cancel_grace, 10s);
}

TEST(ConfigPulumi, ConcurrencyAbove1024IsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load("pulumi:\n  max_concurrent_runs: 2000\n"), 2, 24,
      {"pulumi.max_concurrent_runs: expected an integer from 1 to 1024, got \"2000\""});
}

TEST(ConfigCatalog, PresentSectionEnablesTheCatalog) {
  TempDir dir;
  auto r = dir.load(
      "catalog: { backstage_url: \"https://backstage.example.com\", token: { env: BS_TOKEN }, "
      "interval: 10m }\n");
  expect_loaded(r);
  EXPECT_TRUE(r.config->catalog.enabled);
  EXPECT_EQ(r.config->catalog.backstage_url, "https://backstage.example.com");
  EXPECT_EQ(r.config->catalog.interval, 10min);
  EXPECT_EQ(r.config->catalog.token->describe(), "env:BS_TOKEN");
}

TEST(ConfigCatalog, BackstageUrlIsRequired) {
  TempDir dir;
  expect_single_error(dir.load("catalog:\n  interval: 5m\n"), 2, 3,
                      {"catalog: missing required key 'backstage_url'"});
}

TEST(ConfigCatalog, BackstageUrlMustBeAUrl) {
  TempDir dir;
  expect_single_error(dir.load("catalog:\n  backstage_url: backstage\n"), 2, 18,
                      {"catalog.backstage_url: expected an http or https URL, got \"backstage\""});
}

TEST(ConfigAudit, ReadsSinksOfEveryKind) {
  TempDir dir;
  auto r = dir.load(
      "audit:\n"
      "  fail_closed: false\n"
      "  queue: 1024\n"
      "  checkpoint_every: 50\n"
      "  checkpoint_interval: 30s\n"
      "  sinks:\n"
      "    - { stdout: {} }\n"
      "    - { file: { path: logs/audit.jsonl } }\n"
      "    - webhook: { url: \"https://siem.example.com/in\", token: { file: siem.token }, batch: "
      "20, timeout: 3s }\n");
  expect_loaded(r);
  const AuditConfig& a = r.config->audit;
  EXPECT_FALSE(a.fail_closed);
  EXPECT_EQ(a.queue, 1024u);
  EXPECT_EQ(a.checkpoint_every, 50u);
  EXPECT_EQ(a.checkpoint_interval, 30s);
  ASSERT_EQ(a.sinks.size(), 3u);
  EXPECT_EQ(a.sinks[0].kind, AuditSinkConfig::Kind::kStdout);
  EXPECT_EQ(a.sinks[1].kind, AuditSinkConfig::Kind::kFile);
  EXPECT_EQ(a.sinks[1].path, dir.str("logs/audit.jsonl"));
  EXPECT_EQ(a.sinks[2].kind, AuditSinkConfig::Kind::kWebhook);
  EXPECT_EQ(a.sinks[2].batch, 20u);
  EXPECT_EQ(a.sinks[2].timeout, 3s);
  EXPECT_EQ(a.sinks[2].token->describe(), "file:" + dir.str("siem.token"));
}

TEST(ConfigAudit, QueueMustHoldAtLeastSixteenEvents) {
  TempDir dir;
  expect_single_error(dir.load("audit:\n  queue: 8\n"), 2, 10,
                      {"audit.queue: expected an integer from 16 to 1048576, got \"8\""});
}

TEST(ConfigAudit, WebhookDefaultsToBatchesOf100And10sTimeout) {
  TempDir dir;
  auto r = dir.load("audit:\n  sinks:\n    - webhook: { url: \"https://siem.example.com/in\" }\n");
  expect_loaded(r);
  ASSERT_EQ(r.config->audit.sinks.size(), 1u);
  EXPECT_EQ(r.config->audit.sinks[0].batch, 100u);
  EXPECT_EQ(r.config->audit.sinks[0].timeout, 10s);
  EXPECT_EQ(r.config->audit.sinks[0].token, std::nullopt);
}

TEST(ConfigAudit, WebhookTimeoutOverFiveMinutesIsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load("audit:\n  sinks:\n    - webhook: { url: \"https://siem.example.com/in\", "
               "timeout: 6m }\n"),
      3, 63, {"audit.sinks[0].webhook.timeout: expected a duration of at most 5m, got \"6m\""});
}

TEST(ConfigAudit, SinkWithTwoKindsIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("audit:\n  sinks:\n    - { stdout: {}, file: { path: a } }\n"), 3, 7,
                      {"audit.sinks[0]: set only one of stdout, file or webhook, not several"});
}

TEST(ConfigAudit, UnknownSinkKindIsSuggested) {
  TempDir dir;
  auto r = dir.load("audit:\n  sinks:\n    - { stdot: {} }\n");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_THAT(
      r.diagnostics[0].message,
      ::testing::HasSubstr("audit.sinks[0]: expected one of the keys stdout, file or webhook"));
  EXPECT_THAT(r.diagnostics[1].message,
              ::testing::HasSubstr("audit.sinks[0].stdot: unknown key; did you mean 'stdout'?"));
}

TEST(ConfigAudit, FileSinkNeedsAPath) {
  TempDir dir;
  expect_single_error(dir.load("audit:\n  sinks:\n    - file: {}\n"), 3, 13,
                      {"audit.sinks[0].file: missing required key 'path'"});
}

TEST(ConfigAudit, WebhookOverPlainHttpOffLoopbackIsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load("audit:\n  sinks:\n    - webhook: { url: \"http://siem.corp/in\" }\n"), 3, 23,
      {"audit.sinks[0].webhook.url: must use https"});
}

}  // namespace
}  // namespace sg::config
