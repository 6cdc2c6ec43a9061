// The `projects` section: names, directories, stacks and per-project credentials.
#include "config_test_support.hpp"

namespace sg::config {
namespace {

using namespace std::chrono_literals;
using testing::expect_loaded;
using testing::expect_single_error;
using ::testing::HasSubstr;
using testing::TempDir;

// A project in ./infra whose credentials are `credentials` (indented under line 6).
std::string project_with_credentials(std::string_view credentials) {
  return "projects:\n"
         "  - org: acme\n"
         "    name: payments\n"
         "    dir: infra\n"
         "    credentials:\n"
         "      " +
         std::string(credentials) + "\n";
}

// Every test gets a temporary folder holding an empty ./infra project directory.
class ConfigProjects : public ::testing::Test {
 protected:
  ConfigProjects() { dir.mkdir("infra"); }
  TempDir dir;
};
using ConfigCredentials = ConfigProjects;

TEST_F(ConfigProjects, ReadsProjectStacksAndCredentials) {
  dir.mkdir("infra/payments");
  auto r = dir.load(
      "projects:\n"
      "  - org: acme\n"
      "    name: payments\n"
      "    dir: ./infra/payments\n"
      "    stacks:\n"
      "      - { name: dev, tags: { team: payments, env: dev }, owner: \"group:default/payments\" "
      "}\n"
      "      - { name: prod, lifecycle: production, system: billing }\n"
      "    credentials:\n"
      "      pulumi: { oidc_exchange: { team: payments, ttl: 20m } }\n"
      "      aws: { role_arn: \"arn:aws:iam::1:role/deploy-{stack}\", session_duration: 30m }\n"
      "      gcp: { audience: \"//iam.googleapis.com/x\", service_account: sa@x }\n"
      "      azure: { client_id: c, tenant_id: t }\n"
      "      backend: { url: \"s3://state-bucket\", passphrase: { env: PULUMI_PASSPHRASE } }\n");
  expect_loaded(r);
  ASSERT_EQ(r.config->projects.size(), 1u);
  const ProjectConfig& p = r.config->projects[0];
  EXPECT_EQ(p.org, "acme");
  EXPECT_EQ(p.name, "payments");
  EXPECT_EQ(p.dir, dir.str("infra/payments"));
  ASSERT_EQ(p.stacks.size(), 2u);
  EXPECT_EQ(p.stacks[0].tags.at("env"), "dev");
  EXPECT_EQ(p.stacks[0].owner, "group:default/payments");
  EXPECT_EQ(p.stacks[1].lifecycle, "production");
  ASSERT_TRUE(p.credentials.pulumi_oidc.has_value());
  EXPECT_EQ(p.credentials.pulumi_oidc->org, "acme");  // defaults to the project's org
  EXPECT_EQ(p.credentials.pulumi_oidc->team, "payments");
  EXPECT_EQ(p.credentials.pulumi_oidc->ttl, 20min);
  EXPECT_FALSE(p.credentials.pulumi_token.has_value());
  EXPECT_EQ(p.credentials.aws->session_duration, 30min);
  EXPECT_EQ(p.credentials.aws->audience, "sts.amazonaws.com");
  EXPECT_EQ(p.credentials.gcp->service_account, "sa@x");
  EXPECT_EQ(p.credentials.azure->audience, "api://AzureADTokenExchange");
  EXPECT_EQ(p.credentials.backend->passphrase->describe(), "env:PULUMI_PASSPHRASE");
}

TEST_F(ConfigProjects, MissingDirectoryIsReportedAtTheValue) {
  expect_single_error(
      dir.load("projects:\n  - org: acme\n    name: payments\n    dir: ./nowhere\n"), 4, 10,
      {"projects[0].dir: directory \"./nowhere\" (" + dir.str("nowhere") + ") does not exist"});
}

TEST_F(ConfigProjects, DirectoryThatIsAFileIsRefused) {
  dir.write("plain", "not a folder");
  expect_single_error(dir.load("projects:\n  - { org: acme, name: p, dir: plain }\n"), 2, 32,
                      {"projects[0].dir:", "is not a directory"});
}

TEST_F(ConfigProjects, NameAndDirAreRequired) {
  auto r = dir.load("projects:\n  - org: acme\n");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("projects[0]: missing required key 'name'"));
  EXPECT_THAT(r.diagnostics[1].message, HasSubstr("projects[0]: missing required key 'dir'"));
  EXPECT_EQ(r.diagnostics[0].line, 2);
  EXPECT_EQ(r.diagnostics[0].column, 5);
}

TEST_F(ConfigProjects, NameWithSlashIsRefused) {
  expect_single_error(dir.load("projects:\n  - { org: acme, name: \"a/b\", dir: infra }\n"), 2, 24,
                      {"projects[0].name: expected a name matching [A-Za-z0-9._-]+, got \"a/b\""});
}

TEST_F(ConfigProjects, DuplicateOrgAndNameIsRefused) {
  expect_single_error(
      dir.load("projects:\n"
               "  - { org: acme, name: p, dir: infra }\n"
               "  - { org: acme, name: p, dir: infra }\n"),
      3, 24, {"projects[1].name: duplicate project \"acme/p\" (already used by projects[0])"});
}

TEST_F(ConfigProjects, SameNameInAnotherOrgIsFine) {
  expect_loaded(
      dir.load("projects:\n"
               "  - { org: acme, name: p, dir: infra }\n"
               "  - { org: other, name: p, dir: infra }\n"));
}

TEST_F(ConfigProjects, DuplicateStackNameIsRefused) {
  expect_single_error(dir.load("projects:\n"
                               "  - org: acme\n"
                               "    name: p\n"
                               "    dir: infra\n"
                               "    stacks: [ { name: dev }, { name: dev } ]\n"),
                      5, 38,
                      {"projects[0].stacks[1].name: duplicate stack name \"dev\" (already used by "
                       "projects[0].stacks[0])"});
}

TEST_F(ConfigProjects, StackNameIsRequired) {
  expect_single_error(dir.load("projects:\n  - org: acme\n    name: p\n    dir: infra\n"
                               "    stacks:\n      - owner: x\n"),
                      6, 9, {"projects[0].stacks[0]: missing required key 'name'"});
}

TEST_F(ConfigCredentials, PulumiTokenMustBeASecretReference) {
  auto r = dir.load(project_with_credentials("pulumi: { token: \"pul-abcdef\" }"));
  expect_single_error(r, 6, 24,
                      {"projects[0].credentials.pulumi.token: secrets must not be inline"});
  EXPECT_THAT(r.diagnostics[0].message, ::testing::Not(HasSubstr("pul-abcdef")));
}

TEST_F(ConfigCredentials, PulumiTakesExactlyOneOfTokenAndOidcExchange) {
  expect_single_error(
      dir.load(project_with_credentials("pulumi: { token: { env: T }, oidc_exchange: {} }")), 6, 15,
      {"projects[0].credentials.pulumi: set only one of token or oidc_exchange, not several"});
  expect_single_error(dir.load(project_with_credentials("pulumi: {}")), 6, 15,
                      {"projects[0].credentials.pulumi: expected one of the keys token or "
                       "oidc_exchange"});
}

TEST_F(ConfigCredentials, OidcExchangeTokenTypeIsAnEnum) {
  expect_single_error(
      dir.load(project_with_credentials("pulumi: { oidc_exchange: { token_type: org } }")), 6, 46,
      {"token_type: expected one of organization, team or personal, got \"org\""});
}

TEST_F(ConfigCredentials, TeamTokenTypeNeedsATeam) {
  expect_single_error(
      dir.load(project_with_credentials("pulumi: { oidc_exchange: { token_type: team } }")), 6, 32,
      {"projects[0].credentials.pulumi.oidc_exchange: missing required key 'team'"});
}

TEST_F(ConfigCredentials, AwsRoleArnMustLookLikeAnArn) {
  expect_single_error(
      dir.load(project_with_credentials("aws: { role_arn: \"role/deploy\" }")), 6, 24,
      {"projects[0].credentials.aws.role_arn: expected an IAM role ARN starting with "
       "arn:, got \"role/deploy\""});
}

TEST_F(ConfigCredentials, AzureNeedsClientAndTenant) {
  expect_single_error(dir.load(project_with_credentials("azure: { client_id: c }")), 6, 14,
                      {"projects[0].credentials.azure: missing required key 'tenant_id'"});
}

TEST_F(ConfigCredentials, GcpNeedsAnAudience) {
  expect_single_error(dir.load(project_with_credentials("gcp: { service_account: s }")), 6, 12,
                      {"projects[0].credentials.gcp: missing required key 'audience'"});
}

TEST_F(ConfigCredentials, BackendNeedsAUrl) {
  expect_single_error(
      dir.load(project_with_credentials("backend: { url: \"bucket\" }")), 6, 23,
      {"projects[0].credentials.backend.url: expected a URL like scheme://host/path"});
}

TEST_F(ConfigCredentials, UnknownProviderIsSuggested) {
  expect_single_error(dir.load(project_with_credentials("awss: {}")), 6, 7,
                      {"projects[0].credentials.awss: unknown key; did you mean 'aws'?"});
}

}  // namespace
}  // namespace sg::config
