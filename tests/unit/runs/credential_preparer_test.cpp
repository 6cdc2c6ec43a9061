// CredentialPreparer as a whole: the order of the providers, what a failure leaves behind (no
// file, no environment, the minted tokens for the audit), what is refused before anything is
// minted, the audit event of a run token, and the token lifetimes it is given.
#include "runs/credential_preparer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include <boost/json/serialize.hpp>

#include "runs/preparer_test_support.hpp"
#include "runs/run_token_events.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using namespace testing;  // sg::runs::testing: the fixture and helpers

class CredentialPreparerTest : public PreparerTest {};

TEST_F(CredentialPreparerTest, NothingConfiguredPreparesNothing) {
  ASSERT_TRUE(prepare({}).ok());
  EXPECT_TRUE(out_.env.empty());
  EXPECT_TRUE(out_.issued.empty());
  EXPECT_TRUE(fx_.files().empty());
}

TEST_F(CredentialPreparerTest, EveryProviderTogetherInTheDocumentedOrder) {
  poster_.answer(200, pulumi_answer("organization"));
  config::CredentialsConfig creds;
  creds.pulumi_oidc = config::PulumiOidcExchange{};
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy"};
  creds.gcp = config::GcpCredential{"//iam.googleapis.com/p", ""};
  creds.azure = config::AzureCredential{"c", "t"};
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::vector<std::string> names;
  for (const auto& [name, value] : out_.env)
    names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
                       "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE",
                       "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE",
                       "ARM_USE_OIDC", "ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_OIDC_TOKEN_FILE_PATH",
                       "PULUMI_BACKEND_URL", "PULUMI_ACCESS_TOKEN"}));
  std::vector<std::string> audiences;
  std::set<std::string> jtis;
  for (const tokens::IssuedToken& t : out_.issued) {
    audiences.push_back(t.audience);
    jtis.insert(t.jti);
  }
  EXPECT_EQ(audiences,
            (std::vector<std::string>{"sts.amazonaws.com", "https://iam.googleapis.com/p",
                                      "api://AzureADTokenExchange", "urn:pulumi:org:acme"}));
  EXPECT_EQ(jtis.size(), 4u);
}

TEST_F(CredentialPreparerTest, AFailureRemovesTheFilesAndKeepsTheMintedTokens) {
  poster_.answer(503, "");
  config::CredentialsConfig creds;
  creds.pulumi_oidc = config::PulumiOidcExchange{};
  creds.backend = config::BackendCredential{"https://api.pulumi.com", env_ref(kPassphraseVar)};
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy"};
  creds.gcp = config::GcpCredential{"//iam.googleapis.com/p", ""};
  Status s = prepare(creds);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kUnavailable);
  EXPECT_EQ(s.error().message,
            "pulumi.oidc_exchange: Pulumi Cloud at https://api.pulumi.com failed the token "
            "exchange: 503");
  EXPECT_TRUE(fx_.files().empty());
  EXPECT_TRUE(out_.env.empty());
  EXPECT_EQ(out_.issued.size(), 3u);
}

TEST_F(CredentialPreparerTest, TwoDifferentBackendUrlsAreAConfigurationError) {
  config::CredentialsConfig creds;
  creds.pulumi_oidc = config::PulumiOidcExchange{};
  creds.backend = config::BackendCredential{"s3://acme-state", std::nullopt};
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy"};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_EQ(s.error().message,
            "pulumi.oidc_exchange: its api https://api.pulumi.com and backend.url s3://acme-state "
            "would both set PULUMI_BACKEND_URL; configure one of them");
  EXPECT_TRUE(out_.issued.empty());
  EXPECT_TRUE(poster_.calls.empty());
}

TEST_F(CredentialPreparerTest, AFileAlreadyThereIsNeitherFollowedNorOverwritten) {
  const std::string target = (fx_.run_dir().parent_path() / "elsewhere").string();
  std::ofstream(target) << "keep";
  ASSERT_EQ(::symlink(target.c_str(), path("aws-web-identity-token").c_str()), 0);
  config::CredentialsConfig creds;
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy"};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kIo);
  EXPECT_EQ(s.error().message,
            "aws: cannot create " + path("aws-web-identity-token") + ": File exists");
  EXPECT_EQ(read_file(target), "keep");
  EXPECT_EQ(out_.issued.size(), 1u);
}

TEST_F(CredentialPreparerTest, TheRunDirectoryMustBePrivate) {
  std::filesystem::permissions(
      fx_.run_dir(), std::filesystem::perms::group_read | std::filesystem::perms::group_exec,
      std::filesystem::perm_options::add);
  config::CredentialsConfig creds;
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy"};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kIo);
  EXPECT_EQ(s.error().message, "the run directory " + fx_.run_dir().string() +
                                   " is open to group or others (want 0700)");
  EXPECT_TRUE(out_.issued.empty());
}

TEST_F(CredentialPreparerTest, AMalformedRunNameMintsNothing) {
  RunIdentity r = run();
  r.stack = "dev:operation:destroy";
  config::CredentialsConfig creds;
  creds.azure = config::AzureCredential{"c", "t"};
  Status s = prepare(creds, r);
  EXPECT_EQ(s.code(), Errc::kInvalidArgument);
  EXPECT_EQ(s.error().message, "the run's stack has a character outside [A-Za-z0-9._-]");
  EXPECT_TRUE(out_.issued.empty());
}

TEST_F(CredentialPreparerTest, EachRunTokenIsAuditedWithTheRunAndThePerson) {
  config::CredentialsConfig creds;
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy"};
  RunIdentity r = run();
  r.requester.act = {"agent-7"};
  ASSERT_TRUE(prepare(creds, r).ok());
  const tokens::IssuedToken& t = out_.issued.at(0);
  audit::AuditEvent e = run_token_event(t, r);
  EXPECT_EQ(e.type, "token.issued");
  EXPECT_EQ(e.actor->subject, "user:default/jane");
  EXPECT_EQ(e.actor->act, std::vector<std::string>{"agent-7"});
  EXPECT_EQ(e.resource->stack, "acme/payments/dev");
  EXPECT_EQ(e.run_id, std::optional<std::string>(kRunId));
  EXPECT_EQ(json::serialize(e.details),
            R"({"jti":")" + t.jti + R"(","aud":"sts.amazonaws.com","exp":)" +
                std::to_string(t.expires_at) + R"(,"token_type":"id_token","kid":")" + t.kid +
                R"(","how":"run","sub":"stack:acme/payments/dev:operation:up"})");
  EXPECT_EQ(json::serialize(audit::to_json(e)).find(t.token.substr(t.token.rfind('.') + 1)),
            std::string::npos);
}

TEST_F(CredentialPreparerTest, ASessionOfShortTokensWhenConfiguredSo) {
  CredentialPreparer short_lived(
      fx_.minter(), exchanger_,
      CredentialSettings{.pulumi_token_ttl = 1min, .cloud_token_ttl = 20min});
  config::CredentialsConfig creds;
  creds.azure = config::AzureCredential{"c", "t"};
  PreparedCredentials out;
  ASSERT_TRUE(short_lived.prepare(creds, run(), fx_.run_dir(), kT0, out).ok());
  EXPECT_EQ(out.issued.at(0).expires_at - out.issued.at(0).issued_at, 1200);
}

}  // namespace
}  // namespace sg::runs
