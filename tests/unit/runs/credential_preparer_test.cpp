// CredentialPreparer with a real minter and a fake Pulumi Cloud: for each provider the exact
// environment, the files and their modes, the run tokens it mints; secrets from their references;
// and what a failure leaves behind (no file, no environment, the minted tokens for the audit).
#include "runs/credential_preparer.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "runs/credential_providers.hpp"
#include "runs/credential_test_support.hpp"
#include "runs/run_token_events.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::decode;
using testing::FakePoster;
using testing::form_fields;
using testing::kT0;
using Env = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kRunId = "0123456789abcdef0123456789abcdef";
constexpr const char* kTokenVar = "SG_RUNCREDS_TEST_PULUMI_TOKEN";
constexpr const char* kPassphraseVar = "SG_RUNCREDS_TEST_PASSPHRASE";
constexpr const char* kTokenValue = "pul-stored-0123456789abcdef";
constexpr const char* kPassphrase = "correct horse battery staple";
constexpr const char* kAccessToken = "pul-exchanged-0123456789abcdef";

RunIdentity run() {
  RunIdentity r;
  r.run_id = kRunId;
  r.org = "acme";
  r.project = "payments";
  r.stack = "dev";
  r.operation = "up";
  r.requester.subject = "user:default/jane";
  r.requester.issuer = "corp-sso";
  r.requester.email = "jane@example.test";
  r.requester.name = "Jane";
  r.requester.groups = {"engineering"};
  return r;
}

config::SecretRef env_ref(const char* name) {
  return config::SecretRef{config::SecretRef::Source::kEnv, name};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string pulumi_answer(const char* type = "team") {
  return std::string(R"({"access_token":")") + kAccessToken +
         R"(","issued_token_type":"urn:pulumi:token-type:access_token:)" + type +
         R"(","token_type":"token","expires_in":1800})";
}

class CredentialPreparerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv(kTokenVar, kTokenValue, 1);
    ::setenv(kPassphraseVar, kPassphrase, 1);
  }
  void TearDown() override {
    ::unsetenv(kTokenVar);
    ::unsetenv(kPassphraseVar);
  }

  Status prepare(const config::CredentialsConfig& creds, const RunIdentity& r = run()) {
    out_ = PreparedCredentials{};
    return preparer_.prepare(creds, r, fx_.run_dir(), kT0, out_);
  }

  std::string path(const char* name) const { return fx_.file(name); }

  testing::MinterFixture fx_;
  FakePoster poster_;
  PulumiTokenExchanger exchanger_{poster_};
  CredentialPreparer preparer_{fx_.minter(), exchanger_};
  PreparedCredentials out_;
};

TEST_F(CredentialPreparerTest, NothingConfiguredPreparesNothing) {
  ASSERT_TRUE(prepare({}).ok());
  EXPECT_TRUE(out_.env.empty());
  EXPECT_TRUE(out_.issued.empty());
  EXPECT_TRUE(fx_.files().empty());
}

TEST_F(CredentialPreparerTest, AStoredPulumiTokenGoesOnlyIntoTheEnvironment) {
  config::CredentialsConfig creds;
  creds.pulumi_token = config::PulumiTokenCredential{env_ref(kTokenVar)};
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(out_.env, (Env{{"PULUMI_ACCESS_TOKEN", kTokenValue}}));
  EXPECT_TRUE(out_.issued.empty());
  EXPECT_TRUE(fx_.files().empty());
  EXPECT_TRUE(poster_.calls.empty());
}

TEST_F(CredentialPreparerTest, AStoredPulumiTokenIsReadFromAFile) {
  const std::string secret = (fx_.run_dir().parent_path() / "pulumi-token").string();
  std::ofstream(secret) << "pul-from-a-file\n";
  config::CredentialsConfig creds;
  creds.pulumi_token =
      config::PulumiTokenCredential{config::SecretRef{config::SecretRef::Source::kFile, secret}};
  ASSERT_TRUE(prepare(creds).ok());
  EXPECT_EQ(out_.env, (Env{{"PULUMI_ACCESS_TOKEN", "pul-from-a-file"}}));
}

TEST_F(CredentialPreparerTest, AMissingSecretNamesTheVariableNeverAValue) {
  ::unsetenv(kTokenVar);
  config::CredentialsConfig creds;
  creds.pulumi_token = config::PulumiTokenCredential{env_ref(kTokenVar)};
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy"};
  Status s = prepare(creds);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_EQ(s.error().message, "pulumi.token: secret env:SG_RUNCREDS_TEST_PULUMI_TOKEN is not set");
  EXPECT_TRUE(out_.env.empty());
  EXPECT_TRUE(out_.issued.empty());  // checked before anything is minted
  EXPECT_TRUE(fx_.files().empty());
}

TEST_F(CredentialPreparerTest, APulumiTokenWithAControlCharacterIsRefusedUnquoted) {
  ::setenv(kTokenVar, "pul-abc\x1b[31mdef", 1);
  config::CredentialsConfig creds;
  creds.pulumi_token = config::PulumiTokenCredential{env_ref(kTokenVar)};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_EQ(s.error().message,
            "pulumi.token: secret env:SG_RUNCREDS_TEST_PULUMI_TOKEN has a control character; a "
            "token has none");
}

TEST_F(CredentialPreparerTest, OidcExchangeTradesAShortRunTokenForAPulumiAccessToken) {
  poster_.answer(200, pulumi_answer());
  config::CredentialsConfig creds;
  config::PulumiOidcExchange oidc;
  oidc.api = "https://pulumi.internal.example/";
  oidc.team = "payments";
  oidc.ttl = 30min;
  creds.pulumi_oidc = oidc;
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(out_.env, (Env{{"PULUMI_BACKEND_URL", "https://pulumi.internal.example"},
                           {"PULUMI_ACCESS_TOKEN", kAccessToken}}));
  EXPECT_TRUE(fx_.files().empty());
  ASSERT_EQ(out_.issued.size(), 1u);
  const tokens::IssuedToken& t = out_.issued[0];
  EXPECT_EQ(t.audience, "urn:pulumi:org:acme");
  EXPECT_EQ(t.shape, tokens::TokenShape::kIdToken);
  EXPECT_EQ(t.expires_at - t.issued_at, 300);

  ASSERT_EQ(poster_.calls.size(), 1u);
  EXPECT_EQ(poster_.calls[0].url, "https://pulumi.internal.example/api/oauth/token");
  EXPECT_EQ(form_fields(poster_.calls[0].body),
            (Env{{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                 {"audience", "urn:pulumi:org:acme"},
                 {"subject_token_type", "urn:ietf:params:oauth:token-type:id_token"},
                 {"subject_token", t.token},
                 {"requested_token_type", "urn:pulumi:token-type:access_token:team"},
                 {"scope", "team:payments"},
                 {"expiration", "1800"}}));

  const auto d = decode(t.token);
  EXPECT_EQ(json::serialize(d.header.at("typ")), R"("JWT")");
  EXPECT_EQ(d.claims.at("iss").as_string(), "https://gw.example.test");
  EXPECT_EQ(d.claims.at("sub").as_string(), "stack:acme/payments/dev:operation:up");
  EXPECT_EQ(d.claims.at("aud").as_string(), "urn:pulumi:org:acme");
  EXPECT_EQ(d.claims.at("exp").as_int64(), unix_seconds(kT0) + 300);
  EXPECT_EQ(d.claims.at("iat").as_int64(), unix_seconds(kT0));
  EXPECT_EQ(d.claims.at("run_id").as_string(), kRunId);
  EXPECT_EQ(d.claims.at("requester").as_string(), "user:default/jane");
  EXPECT_EQ(d.claims.at("requester_email").as_string(), "jane@example.test");
  EXPECT_FALSE(d.claims.contains("scope"));
  EXPECT_FALSE(d.claims.contains("groups"));
}

TEST_F(CredentialPreparerTest, OidcExchangeForAnotherOrgOrAPersonalToken) {
  poster_.answer(200, pulumi_answer("personal"));
  config::CredentialsConfig creds;
  config::PulumiOidcExchange oidc;
  oidc.org = "acme-cloud";
  oidc.user = "jane";
  oidc.ttl = 2h;
  creds.pulumi_oidc = oidc;
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(out_.env, (Env{{"PULUMI_BACKEND_URL", "https://api.pulumi.com"},
                           {"PULUMI_ACCESS_TOKEN", kAccessToken}}));
  const auto fields = form_fields(poster_.calls.at(0).body);
  EXPECT_EQ(fields[1].second, "urn:pulumi:org:acme-cloud");
  EXPECT_EQ(fields[4].second, "urn:pulumi:token-type:access_token:personal");
  EXPECT_EQ(fields[5], (std::pair<std::string, std::string>{"scope", "user:jane"}));
  EXPECT_EQ(fields[6].second, "7200");
  EXPECT_EQ(out_.issued.at(0).audience, "urn:pulumi:org:acme-cloud");
}

TEST_F(CredentialPreparerTest, ARefusedExchangeFailsButItsRunTokenIsStillReported) {
  poster_.answer(403, R"({"error":"invalid_grant","error_description":"no policy matched"})");
  config::CredentialsConfig creds;
  creds.pulumi_oidc = config::PulumiOidcExchange{};
  Status s = prepare(creds);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kForbidden);
  EXPECT_EQ(s.error().message,
            "pulumi.oidc_exchange: Pulumi Cloud at https://api.pulumi.com refused the token "
            "exchange: 403 (invalid_grant: no policy matched)");
  EXPECT_TRUE(out_.env.empty());
  ASSERT_EQ(out_.issued.size(), 1u);  // it was presented to Pulumi Cloud: it must be audited
  EXPECT_EQ(out_.issued[0].audience, "urn:pulumi:org:acme");
}

TEST_F(CredentialPreparerTest, ASelfManagedBackendGetsItsUrlAndAPassphraseFile) {
  config::CredentialsConfig creds;
  creds.backend = config::BackendCredential{"s3://acme-state", env_ref(kPassphraseVar)};
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(out_.env, (Env{{"PULUMI_BACKEND_URL", "s3://acme-state"},
                           {"PULUMI_CONFIG_PASSPHRASE_FILE", path("passphrase")}}));
  EXPECT_EQ(fx_.files(), std::vector<std::string>{"passphrase"});
  EXPECT_EQ(read_file(path("passphrase")), kPassphrase);
  EXPECT_EQ(store::testing::mode_of(path("passphrase")), 0600);
  EXPECT_TRUE(out_.issued.empty());

  creds.backend->passphrase.reset();
  ASSERT_TRUE(prepare(creds).ok());
  EXPECT_EQ(out_.env, (Env{{"PULUMI_BACKEND_URL", "s3://acme-state"}}));
}

TEST_F(CredentialPreparerTest, AMissingPassphraseWritesNothing) {
  ::unsetenv(kPassphraseVar);
  config::CredentialsConfig creds;
  creds.backend = config::BackendCredential{"file:///state", env_ref(kPassphraseVar)};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_EQ(s.error().message, "backend: secret env:SG_RUNCREDS_TEST_PASSPHRASE is not set");
  EXPECT_TRUE(fx_.files().empty());
  EXPECT_TRUE(out_.env.empty());
}

TEST_F(CredentialPreparerTest, AwsGetsAWebIdentityTokenFileForTheStacksRole) {
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

TEST_F(CredentialPreparerTest, AwsAudienceComesFromConfiguration) {
  config::CredentialsConfig creds;
  creds.aws = config::AwsCredential{"arn:aws:iam::123456789012:role/deploy", "aws-acme"};
  ASSERT_TRUE(prepare(creds).ok());
  EXPECT_EQ(decode(out_.issued.at(0).token).claims.at("aud").as_string(), "aws-acme");
}

TEST_F(CredentialPreparerTest, AwsUnknownPlaceholderMintsNothing) {
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

TEST_F(CredentialPreparerTest, GcpGetsAnExternalAccountConfigurationOverATokenFile) {
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

TEST_F(CredentialPreparerTest, GcpWithoutAServiceAccountUsesTheFederatedIdentity) {
  config::CredentialsConfig creds;
  creds.gcp = config::GcpCredential{"my-custom-audience", ""};
  ASSERT_TRUE(prepare(creds).ok());
  const json::object config = json::parse(read_file(path("gcp-credentials.json"))).as_object();
  EXPECT_FALSE(config.contains("service_account_impersonation_url"));
  EXPECT_EQ(config.at("audience").as_string(), "my-custom-audience");
  EXPECT_EQ(decode(out_.issued.at(0).token).claims.at("aud").as_string(), "my-custom-audience");
}

TEST_F(CredentialPreparerTest, GcpRefusesAServiceAccountThatIsNotAnEmail) {
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

TEST_F(CredentialPreparerTest, AzureGetsAFederatedTokenFileForTheSdksAndTheProvider) {
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
