// The Pulumi providers through CredentialPreparer: pulumi.token (a stored token, from env or a
// file), pulumi.oidc_exchange (a run token exchanged at a fake Pulumi Cloud: the request, the
// token, a refusal) and backend (its URL and passphrase file).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json/serialize.hpp>

#include "runs/preparer_test_support.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using namespace testing;  // sg::runs::testing: the fixture and helpers

class PulumiCredentialsTest : public PreparerTest {};

TEST_F(PulumiCredentialsTest, AStoredPulumiTokenGoesOnlyIntoTheEnvironment) {
  config::CredentialsConfig creds;
  creds.pulumi_token = config::PulumiTokenCredential{env_ref(kTokenVar)};
  Status s = prepare(creds);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(out_.env, (Env{{"PULUMI_ACCESS_TOKEN", kTokenValue}}));
  EXPECT_TRUE(out_.issued.empty());
  EXPECT_TRUE(fx_.files().empty());
  EXPECT_TRUE(poster_.calls.empty());
}

TEST_F(PulumiCredentialsTest, AStoredPulumiTokenIsReadFromAFile) {
  const std::string secret = (fx_.run_dir().parent_path() / "pulumi-token").string();
  std::ofstream(secret) << "pul-from-a-file\n";
  config::CredentialsConfig creds;
  creds.pulumi_token =
      config::PulumiTokenCredential{config::SecretRef{config::SecretRef::Source::kFile, secret}};
  ASSERT_TRUE(prepare(creds).ok());
  EXPECT_EQ(out_.env, (Env{{"PULUMI_ACCESS_TOKEN", "pul-from-a-file"}}));
}

TEST_F(PulumiCredentialsTest, AMissingSecretNamesTheVariableNeverAValue) {
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

TEST_F(PulumiCredentialsTest, APulumiTokenWithAControlCharacterIsRefusedUnquoted) {
  ::setenv(kTokenVar, "pul-abc\x1b[31mdef", 1);
  config::CredentialsConfig creds;
  creds.pulumi_token = config::PulumiTokenCredential{env_ref(kTokenVar)};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_EQ(s.error().message,
            "pulumi.token: secret env:SG_RUNCREDS_TEST_PULUMI_TOKEN has a control character; a "
            "token has none");
}

TEST_F(PulumiCredentialsTest, OidcExchangeTradesAShortRunTokenForAPulumiAccessToken) {
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

TEST_F(PulumiCredentialsTest, OidcExchangeForAnotherOrgOrAPersonalToken) {
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

TEST_F(PulumiCredentialsTest, ARefusedExchangeFailsButItsRunTokenIsStillReported) {
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

TEST_F(PulumiCredentialsTest, ASelfManagedBackendGetsItsUrlAndAPassphraseFile) {
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

TEST_F(PulumiCredentialsTest, AMissingPassphraseWritesNothing) {
  ::unsetenv(kPassphraseVar);
  config::CredentialsConfig creds;
  creds.backend = config::BackendCredential{"file:///state", env_ref(kPassphraseVar)};
  Status s = prepare(creds);
  EXPECT_EQ(s.code(), Errc::kInvalidConfig);
  EXPECT_EQ(s.error().message, "backend: secret env:SG_RUNCREDS_TEST_PASSPHRASE is not set");
  EXPECT_TRUE(fx_.files().empty());
  EXPECT_TRUE(out_.env.empty());
}

}  // namespace
}  // namespace sg::runs
