// The cloud providers through CredentialPreparer: aws (role ARN substitution, session name,
// web-identity token file), gcp (external_account configuration and its audiences) and azure
// (the SDKs' and azure-native's variables): exact environment, files, modes and run tokens.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "runs/credential_providers.hpp"
#include "runs/preparer_test_support.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using namespace testing;  // sg::runs::testing: the fixture and helpers

class CloudCredentialsTest : public PreparerTest {};

TEST_F(CloudCredentialsTest, AwsGetsAWebIdentityTokenFileForTheStacksRole) {
  config::CredentialsConfig creds;
  creds.aws =
      config::AwsCredential{"arn:aws:iam::123456789012:role/{org}-{project}-deploy-{stack}"};
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(
      out_.env,
      (Env{{"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/acme-payments-deploy-dev"},
           {"AWS_WEB_IDENTITY_TOKEN_FILE", path("aws-web-identity-token")},
           {"AWS_ROLE_SESSION_NAME", "sg-0123456789abcdef0123456789abcdef-jane@example.test"}}));
  EXPECT_EQ(fx_.files(), std::vector<std::string>{"aws-web-identity-token"});
  EXPECT_EQ(store::testing::mode_of(path("aws-web-identity-token")), 0600);
  ASSERT_EQ(out_.issued.size(), 1u);
  EXPECT_EQ(read_file(path("aws-web-identity-token")), out_.issued[0].token);

  const auto d = decode(out_.issued[0].token);
  EXPECT_EQ(d.header.at("typ").as_string(), "JWT");
  EXPECT_EQ(d.claims.at("sub").as_string(), "stack:acme/payments/dev:operation:up");
  EXPECT_EQ(d.claims.at("aud").as_string(), "sts.amazonaws.com");
  // The SDK re-reads the file at each renewal: the token lives as long as a run may (cut to
  // tokens.max_ttl, here 1 h).
  EXPECT_EQ(d.claims.at("exp").as_int64() - d.claims.at("iat").as_int64(), 3600);
}

TEST_F(CloudCredentialsTest, AwsAudienceComesFromConfiguration) {
  config::CredentialsConfig creds;
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy", "aws-acme"};
  ASSERT_TRUE(prepare(creds).ok());
  EXPECT_EQ(decode(out_.issued.at(0).token).claims.at("aud").as_string(), "aws-acme");
}

TEST_F(CloudCredentialsTest, AwsUnknownPlaceholderMintsNothing) {
  config::CredentialsConfig creds;
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy-{env}"};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_EQ(s.error().message,
            "aws: role_arn has an unknown placeholder {env}; use {org}, {project} or {stack}");
  EXPECT_TRUE(out_.issued.empty());
  EXPECT_TRUE(fx_.files().empty());
}

TEST(AwsRoleArn, SubstitutesEachPlaceholderAnywhere) {
  RunIdentity r = run();
  EXPECT_EQ(*aws_role_arn("arn:aws:iam::1:role/{stack}{stack}-{org}/{project}", r),
            "arn:aws:iam::1:role/devdev-acme/payments");
  EXPECT_EQ(*aws_role_arn("arn:aws:iam::1:role/fixed", r), "arn:aws:iam::1:role/fixed");
  EXPECT_EQ(aws_role_arn("arn:aws:iam::1:role/{stack", r).error().message,
            "role_arn has a '{' without its '}'");
  EXPECT_EQ(aws_role_arn("arn:aws:iam::1:role/{}", r).error().message,
            "role_arn has an unknown placeholder {}; use {org}, {project} or {stack}");
}

TEST(AwsSessionName, NamesTheRunAndThePersonInAwssAlphabet) {
  RunIdentity r = run();
  EXPECT_EQ(aws_session_name(r), "sg-0123456789abcdef0123456789abcdef-jane@example.test");
  r.requester.email.clear();
  r.requester.subject = "user:default/jane doe";
  EXPECT_EQ(aws_session_name(r), "sg-0123456789abcdef0123456789abcdef-user-default-jane-doe");
  r.requester.subject = "José Müller+ops=1,x_y";  // UTF-8 bytes are outside the alphabet
  EXPECT_EQ(aws_session_name(r), "sg-0123456789abcdef0123456789abcdef-Jos-M-ller+ops=1,x_y");
  r.requester.email = "a.very.long.person.name@subsidiary.example.com";
  const std::string name = aws_session_name(r);
  EXPECT_EQ(name.size(), 64u);
  EXPECT_EQ(name, "sg-0123456789abcdef0123456789abcdef-a.very.long.person.name@subs");
  r.run_id = std::string(80, 'f');
  r.requester.email = "x";
  EXPECT_EQ(aws_session_name(r), "sg-" + std::string(32, 'f') + "-x");
  r.requester.email = "--";
  EXPECT_EQ(aws_session_name(r), "sg-" + std::string(32, 'f'));
}

TEST_F(CloudCredentialsTest, GcpGetsAnExternalAccountConfigurationOverATokenFile) {
  config::CredentialsConfig creds;
  creds.gcp = config::GcpCredential{
      "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/gw/providers/sg",
      "deployer@acme-prod.iam.gserviceaccount.com"};
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(out_.env,
            (Env{{"GOOGLE_APPLICATION_CREDENTIALS", path("gcp-credentials.json")},
                 {"CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", path("gcp-credentials.json")}}));
  EXPECT_EQ(fx_.files(), (std::vector<std::string>{"gcp-credentials.json", "gcp-subject-token"}));
  EXPECT_EQ(store::testing::mode_of(path("gcp-credentials.json")), 0600);
  EXPECT_EQ(store::testing::mode_of(path("gcp-subject-token")), 0600);
  ASSERT_EQ(out_.issued.size(), 1u);
  EXPECT_EQ(read_file(path("gcp-subject-token")), out_.issued[0].token);
  EXPECT_EQ(
      json::parse(read_file(path("gcp-credentials.json"))),
      json::parse(
          R"({"type":"external_account",)"
          R"("audience":"//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/gw/providers/sg",)"
          R"("subject_token_type":"urn:ietf:params:oauth:token-type:jwt",)"
          R"("token_url":"https://sts.googleapis.com/v1/token",)"
          R"("credential_source":{"file":")" +
          path("gcp-subject-token") +
          R"("},"service_account_impersonation_url":)"
          R"("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/)"
          R"(deployer@acme-prod.iam.gserviceaccount.com:generateAccessToken"})"));
  // A workload identity provider accepts its own https:// name as audience by default.
  EXPECT_EQ(decode(out_.issued[0].token).claims.at("aud").as_string(),
            "https://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/gw/"
            "providers/sg");
}

TEST_F(CloudCredentialsTest, GcpWithoutAServiceAccountUsesTheFederatedIdentity) {
  config::CredentialsConfig creds;
  creds.gcp = config::GcpCredential{"my-custom-audience", ""};
  ASSERT_TRUE(prepare(creds).ok());
  const json::object config = json::parse(read_file(path("gcp-credentials.json"))).as_object();
  EXPECT_FALSE(config.contains("service_account_impersonation_url"));
  EXPECT_EQ(config.at("audience").as_string(), "my-custom-audience");
  EXPECT_EQ(decode(out_.issued.at(0).token).claims.at("aud").as_string(), "my-custom-audience");
}

TEST_F(CloudCredentialsTest, GcpRefusesAServiceAccountThatIsNotAnEmail) {
  config::CredentialsConfig creds;
  creds.gcp = config::GcpCredential{"//iam.googleapis.com/x", "deployer:generateAccessToken?x=1"};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_EQ(s.error().message, "gcp: service_account is not a service account's email address");
  EXPECT_TRUE(out_.issued.empty());
}

TEST(GcpAudiences, TheStsFormAndTheTokenForm) {
  const GcpAudiences slash = gcp_audiences("//iam.googleapis.com/projects/1/p");
  EXPECT_EQ(slash.sts, "//iam.googleapis.com/projects/1/p");
  EXPECT_EQ(slash.token, "https://iam.googleapis.com/projects/1/p");
  const GcpAudiences https = gcp_audiences("https://iam.googleapis.com/projects/1/p");
  EXPECT_EQ(https.sts, "//iam.googleapis.com/projects/1/p");
  EXPECT_EQ(https.token, "https://iam.googleapis.com/projects/1/p");
}

TEST_F(CloudCredentialsTest, AzureGetsAFederatedTokenFileForTheSdksAndTheProvider) {
  config::CredentialsConfig creds;
  creds.azure = config::AzureCredential{"11111111-2222-3333-4444-555555555555",
                                        "66666666-7777-8888-9999-000000000000"};
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const std::string file = path("azure-federated-token");
  EXPECT_EQ(out_.env, (Env{{"AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555"},
                           {"AZURE_TENANT_ID", "66666666-7777-8888-9999-000000000000"},
                           {"AZURE_FEDERATED_TOKEN_FILE", file},
                           {"ARM_USE_OIDC", "true"},
                           {"ARM_CLIENT_ID", "11111111-2222-3333-4444-555555555555"},
                           {"ARM_TENANT_ID", "66666666-7777-8888-9999-000000000000"},
                           {"ARM_OIDC_TOKEN_FILE_PATH", file}}));
  EXPECT_EQ(store::testing::mode_of(file), 0600);
  ASSERT_EQ(out_.issued.size(), 1u);
  EXPECT_EQ(read_file(file), out_.issued[0].token);
  const auto d = decode(out_.issued[0].token);
  EXPECT_EQ(d.claims.at("aud").as_string(), "api://AzureADTokenExchange");
  // Azure federated credentials match `sub` exactly: it must not change from run to run.
  EXPECT_EQ(d.claims.at("sub").as_string(), "stack:acme/payments/dev:operation:up");
}

}  // namespace
}  // namespace sg::runs
