// The `server`, `store` and `policy` sections: addresses, URLs, store URLs, relative paths,
// defaults.
#include "config_test_support.hpp"

namespace sg::config {
namespace {

using namespace std::chrono_literals;
using testing::expect_loaded;
using testing::expect_single_error;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

TEST(ConfigDefaults, AbsentSectionsTakeTheDocumentedDefaults) {
  TempDir dir;
  auto r = dir.load("pulumi: {}\n");
  expect_loaded(r);
  const Config& c = *r.config;
  EXPECT_EQ(c.path, dir.str("stackgate.yaml"));
  EXPECT_EQ(c.server.listen_host, "127.0.0.1");
  EXPECT_EQ(c.server.listen_port, 7070);
  EXPECT_EQ(c.server.public_url, "http://127.0.0.1:7070");
  EXPECT_EQ(c.server.threads, 0u);
  EXPECT_EQ(c.server.max_header_bytes, 16u * 1024);
  EXPECT_EQ(c.server.read_timeout, 10s);
  EXPECT_TRUE(c.server.access_log);
  EXPECT_EQ(c.store.kind, StoreConfig::Kind::kSqlite);
  EXPECT_EQ(c.store.sqlite_path, dir.str("data/stackgate.db"));
  EXPECT_EQ(c.policy_path, "");
  EXPECT_TRUE(c.issuers.empty());
  EXPECT_EQ(c.tokens.algorithm, "ES256");
  EXPECT_EQ(c.tokens.max_ttl, 1h);
  EXPECT_EQ(c.pulumi.command, "pulumi");
  EXPECT_EQ(c.pulumi.max_concurrent_runs, 4u);
  EXPECT_FALSE(c.catalog.enabled);
  EXPECT_TRUE(c.audit.fail_closed);
  EXPECT_TRUE(c.audit.sinks.empty());
}

TEST(ConfigDefaults, DevConfigListensOnLoopbackWithSqliteInTheDataDir) {
  TempDir dir;
  Config c = dev_config(dir.str());
  EXPECT_EQ(c.path, "<dev>");
  EXPECT_EQ(c.server.listen_host, "127.0.0.1");
  EXPECT_EQ(c.server.listen_port, 7070);
  EXPECT_EQ(c.store.kind, StoreConfig::Kind::kSqlite);
  EXPECT_EQ(c.store.sqlite_path, dir.str("stackgate.db"));
  EXPECT_TRUE(c.issuers.empty());
  EXPECT_TRUE(c.policy_path.empty());
  ASSERT_EQ(c.projects.size(), 2U);  // demo stacks: acme/payments (dev, prod), acme/web (dev)
  EXPECT_EQ(c.projects[0].org, "acme");
  EXPECT_EQ(c.projects[0].name, "payments");
  ASSERT_EQ(c.projects[0].stacks.size(), 2U);
  EXPECT_EQ(c.projects[0].stacks[1].lifecycle, "production");
  EXPECT_EQ(c.projects[0].dir, dir.str("projects/payments"));
  EXPECT_EQ(c.projects[1].stacks[0].tags.at("team"), "web");
}

TEST(ConfigServer, ListenOnPortZeroDerivesThePublicUrl) {
  TempDir dir;
  auto r = dir.load("server:\n  listen: \"127.0.0.1:0\"\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->server.listen_port, 0);
  EXPECT_EQ(r.config->server.public_url, "http://127.0.0.1:0");
}

TEST(ConfigServer, ListenAcceptsBracketedIpv6AndHostNames) {
  TempDir dir;
  auto v6 = dir.load("server: { listen: \"[::1]:8080\" }\n");
  expect_loaded(v6);
  EXPECT_EQ(v6.config->server.listen_host, "::1");
  EXPECT_EQ(v6.config->server.public_url, "http://[::1]:8080");
  auto named =
      dir.load("server: { listen: \"gateway.internal:443\", public_url: \"https://gw\" }\n");
  expect_loaded(named);
  EXPECT_EQ(named.config->server.listen_host, "gateway.internal");
  EXPECT_EQ(named.config->server.public_url, "https://gw");
}

TEST(ConfigServer, ListenOnAllInterfacesIsAllowed) {
  TempDir dir;
  auto r = dir.load("server: { listen: \"0.0.0.0:7070\" }\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->server.listen_host, "0.0.0.0");
}

TEST(ConfigServer, ListenPortAbove65535IsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  listen: \"127.0.0.1:70000\"\n"), 2, 11,
                      {"server.listen: expected host:port", "got \"127.0.0.1:70000\""});
}

TEST(ConfigServer, ListenWithoutPortIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  listen: localhost\n"), 2, 11,
                      {"server.listen: expected host:port"});
}

TEST(ConfigServer, ListenWithInvalidAddressIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  listen: \"300.1.1.1:80\"\n"), 2, 11,
                      {"server.listen: expected host:port"});
}

TEST(ConfigServer, PublicUrlMustBeHttpOrHttps) {
  TempDir dir;
  expect_single_error(
      dir.load("server:\n  public_url: \"ftp://example.com\"\n"), 2, 15,
      {"server.public_url: expected an http or https URL, got \"ftp://example.com\""});
}

TEST(ConfigServer, PublicUrlWithoutHostIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  public_url: \"https://\"\n"), 2, 15,
                      {"expected an http or https URL"});
}

TEST(ConfigStore, RelativeSqlitePathIsResolvedAgainstTheConfigFolder) {
  TempDir dir;
  auto r = dir.load("store: \"sqlite://./state/gw.db\"\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->store.sqlite_path, dir.str("state/gw.db"));
  EXPECT_EQ(r.config->store.url, "sqlite://./state/gw.db");
}

TEST(ConfigStore, AbsoluteSqlitePathIsKept) {
  TempDir dir;
  auto r = dir.load("store: \"sqlite:///var/lib/stackgate/gw.db\"\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->store.sqlite_path, "/var/lib/stackgate/gw.db");
}

TEST(ConfigStore, MappingFormTakesUrlAndBusyTimeout) {
  TempDir dir;
  auto r = dir.load("store:\n  url: \"sqlite://gw.db\"\n  busy_timeout: 2s\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->store.sqlite_path, dir.str("gw.db"));
  EXPECT_EQ(r.config->store.busy_timeout, 2s);
}

TEST(ConfigStore, MappingFormRequiresUrl) {
  TempDir dir;
  expect_single_error(dir.load("store:\n  busy_timeout: 2s\n"), 2, 3,
                      {"store: missing required key 'url'"});
}

TEST(ConfigStore, PostgresIsRefusedWithoutEchoingThePassword) {
  TempDir dir;
  auto r = dir.load("store: \"postgres://app:hunter2@db:5432/gw\"\n");
  expect_single_error(
      r, 1, 8, {"store: PostgreSQL stores are not available in this build yet (use sqlite://)"});
  EXPECT_THAT(r.diagnostics[0].message, Not(HasSubstr("hunter2")));
}

TEST(ConfigStore, PostgresqlSchemeIsRefusedToo) {
  TempDir dir;
  expect_single_error(dir.load("store: \"postgresql://db/gw\"\n"), 1, 8,
                      {"PostgreSQL stores are not available"});
}

TEST(ConfigStore, OtherSchemesAreRefusedWithThePasswordRemoved) {
  TempDir dir;
  auto r = dir.load("store: \"mysql://app:hunter2@db/gw\"\n");
  expect_single_error(r, 1, 8,
                      {"store: expected a store URL like sqlite://./data/stackgate.db",
                       "got \"mysql://app@db/gw\""});
  EXPECT_THAT(r.diagnostics[0].message, Not(HasSubstr("hunter2")));
}

TEST(ConfigStore, SqliteWithoutPathIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("store: \"sqlite://\"\n"), 1, 8, {"expected a store URL"});
}

TEST(ConfigPolicy, RelativePolicyPathIsResolvedAgainstTheConfigFolder) {
  TempDir dir;
  dir.write("conf/policy.yaml", "roles: []\n");
  auto r = load_config_text("policy: ./policy.yaml\n", dir.str("conf/stackgate.yaml"));
  expect_loaded(r);
  EXPECT_EQ(r.config->policy_path, dir.str("conf/policy.yaml"));
}

TEST(ConfigPolicy, MissingPolicyFileIsReportedAtTheValue) {
  TempDir dir;
  expect_single_error(dir.load("server: {}\npolicy: ./policy.yaml\n"), 2, 9,
                      {"policy: file \"./policy.yaml\"", "does not exist"});
}

TEST(ConfigPolicy, PolicyThatIsADirectoryIsRefused) {
  TempDir dir;
  dir.mkdir("rules");
  expect_single_error(dir.load("policy: rules\n"), 1, 9, {"is not a file"});
}

}  // namespace
}  // namespace sg::config
