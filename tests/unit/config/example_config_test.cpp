// The shipped examples/stackgate.yaml loads cleanly and means what its comments say.
#include "config_test_support.hpp"

namespace sg::config {
namespace {

using namespace std::chrono_literals;

TEST(ExampleConfig, LoadsWithoutDiagnostics) {
  const std::string examples = STACKGATE_SOURCE_DIR "/examples";
  auto r = load_config_file(examples + "/stackgate.yaml");
  testing::expect_loaded(r);
  ASSERT_TRUE(r.config.has_value());
  const Config& c = *r.config;
  EXPECT_EQ(c.path, examples + "/stackgate.yaml");
  EXPECT_EQ(c.server.listen_port, 7070);
  EXPECT_EQ(c.server.max_header_bytes, 16u * 1024);
  EXPECT_EQ(c.store.sqlite_path, examples + "/data/stackgate.db");
  EXPECT_EQ(c.policy_path, examples + "/policy.yaml");
  ASSERT_EQ(c.issuers.size(), 3u);
  EXPECT_EQ(c.issuers[0].kind, IssuerConfig::Kind::kBackstage);
  EXPECT_EQ(c.issuers[1].algorithms, (std::vector<std::string>{"RS256", "ES256"}));
  EXPECT_EQ(c.issuers[2].principal_kind, IssuerConfig::PrincipalKind::kMachine);
  EXPECT_EQ(c.tokens.default_ttl, 15min);
  ASSERT_EQ(c.projects.size(), 1u);
  EXPECT_EQ(c.projects[0].dir, examples);
  EXPECT_EQ(c.projects[0].stacks.size(), 2u);
  EXPECT_EQ(c.projects[0].credentials.pulumi_token->token.describe(), "env:PULUMI_ACCESS_TOKEN");
  EXPECT_TRUE(c.catalog.enabled);
  ASSERT_EQ(c.audit.sinks.size(), 2u);
  EXPECT_EQ(c.audit.sinks[1].path, examples + "/data/audit.jsonl");
}

TEST(ExampleConfig, LoadingTwiceGivesTheSameResult) {
  auto a = load_config_file(STACKGATE_SOURCE_DIR "/examples/stackgate.yaml");
  auto b = load_config_file(STACKGATE_SOURCE_DIR "/examples/stackgate.yaml");
  ASSERT_TRUE(a.config && b.config);
  EXPECT_EQ(a.config->store.sqlite_path, b.config->store.sqlite_path);
  EXPECT_EQ(a.config->issuers.size(), b.config->issuers.size());
}

}  // namespace
}  // namespace sg::config
