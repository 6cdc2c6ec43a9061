// The `issuers` section: kinds, URLs and the https rule, algorithms, claims, uniqueness.
#include "config_test_support.hpp"

namespace sg::config {
namespace {

using namespace std::chrono_literals;
using testing::expect_loaded;
using testing::expect_single_error;
using ::testing::HasSubstr;
using testing::TempDir;

// An oidc issuer whose line 6 (`extra`) is the line under test.
std::string oidc_with(std::string_view extra) {
  return "issuers:\n"
         "  - name: corp\n"
         "    kind: oidc\n"
         "    issuer: \"https://login.example.com\"\n"
         "    audiences: [stackgate]\n"
         "    " +
         std::string(extra) + "\n";
}

TEST(ConfigIssuers, ReadsAFullOidcIssuer) {
  TempDir dir;
  auto r = dir.load(oidc_with(
      "algorithms: [RS256, ES256]\n    leeway: 45s\n    types: [JWT, at+jwt]\n"
      "    claims: { email: email, groups: realm_access.roles }\n    principal_kind: machine"));
  expect_loaded(r);
  ASSERT_EQ(r.config->issuers.size(), 1u);
  const IssuerConfig& is = r.config->issuers[0];
  EXPECT_EQ(is.name, "corp");
  EXPECT_EQ(is.kind, IssuerConfig::Kind::kOidc);
  EXPECT_EQ(is.issuer, "https://login.example.com");
  EXPECT_EQ(is.audiences, std::vector<std::string>{"stackgate"});
  EXPECT_EQ(is.algorithms, (std::vector<std::string>{"RS256", "ES256"}));
  EXPECT_EQ(is.types, (std::vector<std::string>{"JWT", "at+jwt"}));
  EXPECT_EQ(is.leeway, 45s);
  EXPECT_EQ(is.claims.at("groups"), "realm_access.roles");
  EXPECT_EQ(is.principal_kind, IssuerConfig::PrincipalKind::kMachine);
}

TEST(ConfigIssuers, SingleAudienceStringBecomesAList) {
  TempDir dir;
  auto r =
      dir.load("issuers:\n  - { name: a, kind: oidc, issuer: \"https://a\", audiences: api }\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->issuers[0].audiences, std::vector<std::string>{"api"});
}

TEST(ConfigIssuers, MissingNameIsRequired) {
  TempDir dir;
  expect_single_error(
      dir.load("issuers:\n  - kind: backstage\n    issuer: \"http://localhost:7007\"\n"), 2, 5,
      {"issuers[0]: missing required key 'name'"});
}

TEST(ConfigIssuers, NameWithUppercaseIsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load("issuers:\n  - { name: Corp, kind: backstage, issuer: \"http://localhost\" }\n"), 2,
      13, {"issuers[0].name: expected a name matching [a-z0-9-]+, got \"Corp\""});
}

TEST(ConfigIssuers, UnknownKindSuggestsTheClosest) {
  TempDir dir;
  expect_single_error(
      dir.load("issuers:\n  - name: a\n    kind: oidcc\n"), 3, 11,
      {"issuers[0].kind: expected one of oidc, backstage, jwks or dev, got \"oidcc\"",
       "did you mean 'oidc'?"});
}

TEST(ConfigIssuers, DevKindIsOnlyForServeDev) {
  TempDir dir;
  expect_single_error(dir.load("issuers:\n  - name: a\n    kind: dev\n"), 3, 11,
                      {"issuers[0].kind: the dev issuer exists only under `serve --dev`"});
}

TEST(ConfigIssuers, OidcRequiresIssuerAndAudiences) {
  TempDir dir;
  auto r = dir.load("issuers:\n  - name: a\n    kind: oidc\n");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].line, 2);
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("missing required key 'issuer'"));
  EXPECT_THAT(r.diagnostics[1].message,
              HasSubstr("missing required key 'audiences' (issuers of kind oidc need it)"));
}

TEST(ConfigIssuers, EmptyAudienceListIsRefused) {
  TempDir dir;
  dir.write("keys.json", "{}");
  auto r = dir.load(
      "issuers:\n"
      "  - name: corp\n"
      "    kind: jwks\n"
      "    issuer: \"https://ci.example.com\"\n"
      "    audiences: []\n"
      "    jwks_file: keys.json\n");
  expect_single_error(r, 5, 16, {"issuers[0].audiences: must name at least one audience"});
}

TEST(ConfigIssuers, HttpIssuerOffLoopbackIsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load(
          "issuers:\n  - name: a\n    kind: backstage\n    issuer: \"http://backstage.corp\"\n"),
      4, 13,
      {"issuers[0].issuer: must use https unless the host is loopback (localhost, 127.0.0.1, "
       "[::1])",
       "got \"http://backstage.corp\""});
}

TEST(ConfigIssuers, HttpIssuerOnLoopbackIsAccepted) {
  TempDir dir;
  for (std::string host : {"localhost:7007", "127.0.0.1", "[::1]:7007"}) {
    auto r =
        dir.load("issuers:\n  - { name: a, kind: backstage, issuer: \"http://" + host + "\" }\n");
    expect_loaded(r);
  }
}

TEST(ConfigIssuers, HttpJwksUriOffLoopbackIsRefused) {
  TempDir dir;
  expect_single_error(dir.load(oidc_with("jwks_uri: \"http://keys.example.com/jwks\"")), 6, 15,
                      {"issuers[0].jwks_uri: must use https"});
}

TEST(ConfigIssuers, MalformedIssuerUrlIsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load("issuers:\n  - { name: a, kind: backstage, issuer: \"localhost\" }\n"), 2, 41,
      {"issuers[0].issuer: expected an http or https URL, got \"localhost\""});
}

TEST(ConfigIssuers, AlgNoneHasItsOwnError) {
  TempDir dir;
  expect_single_error(dir.load(oidc_with("algorithms: [RS256, none]")), 6, 25,
                      {"issuers[0].algorithms[1]: alg none is never accepted"});
}

TEST(ConfigIssuers, UnknownAlgorithmIsRefusedWithSuggestion) {
  TempDir dir;
  expect_single_error(dir.load(oidc_with("algorithms: [rs256]")), 6, 18,
                      {"issuers[0].algorithms[0]: expected one of RS256", "did you mean 'RS256'?"});
}

TEST(ConfigIssuers, HmacAlgorithmNeedsASecret) {
  TempDir dir;
  expect_single_error(dir.load(oidc_with("algorithms: [HS256]")), 6, 17,
                      {"issuers[0].algorithms: HS256 needs the shared `secret` of this issuer"});
}

TEST(ConfigIssuers, HmacAlgorithmWithSecretIsAccepted) {
  TempDir dir;
  auto r = dir.load(oidc_with("algorithms: [HS256]\n    secret: { env: CORP_HMAC }"));
  expect_loaded(r);
  ASSERT_TRUE(r.config->issuers[0].secret.has_value());
  EXPECT_EQ(r.config->issuers[0].secret->describe(), "env:CORP_HMAC");
}

TEST(ConfigIssuers, LeewayAboveFiveMinutesIsRefused) {
  TempDir dir;
  expect_single_error(dir.load(oidc_with("leeway: 10m")), 6, 13,
                      {"issuers[0].leeway: expected a duration of at most 5m, got \"10m\""});
}

TEST(ConfigIssuers, ClaimAttributeWithClaimPrefixIsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load(oidc_with("claims: { \"claim.email\": email }")), 6, 15,
      {"issuers[0].claims.claim.email: unknown principal attribute; expected one of "
       "subject, email, name, team, groups, ownership"});
}

TEST(ConfigIssuers, UnknownClaimAttributeIsRefusedWithSuggestion) {
  TempDir dir;
  expect_single_error(
      dir.load(oidc_with("claims: { emial: email }")), 6, 15,
      {"issuers[0].claims.emial: unknown principal attribute", "did you mean 'email'?"});
}

TEST(ConfigIssuers, ClaimPathWithEmptySegmentIsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load(oidc_with("claims: { groups: \"realm..roles\" }")), 6, 23,
      {"issuers[0].claims.groups: expected a dotted claim path", "got \"realm..roles\""});
}

TEST(ConfigIssuers, BadPrincipalKindIsRefused) {
  TempDir dir;
  expect_single_error(
      dir.load(oidc_with("principal_kind: robot")), 6, 21,
      {"issuers[0].principal_kind: expected one of user or machine, got \"robot\""});
}

TEST(ConfigIssuers, JwksKindRequiresAnExistingJwksFile) {
  TempDir dir;
  auto r = dir.load(
      "issuers:\n"
      "  - { name: k, kind: jwks, issuer: \"https://ci\", audiences: [gw], jwks_file: keys.json "
      "}\n");
  expect_single_error(r, 2, 78, {"issuers[0].jwks_file: file \"keys.json\"", "does not exist"});
  dir.write("keys.json", "{\"keys\":[]}");
  auto ok = dir.load(
      "issuers:\n"
      "  - { name: k, kind: jwks, issuer: \"https://ci\", audiences: [gw], jwks_file: keys.json "
      "}\n");
  expect_loaded(ok);
  EXPECT_EQ(ok.config->issuers[0].jwks_file, dir.str("keys.json"));
}

TEST(ConfigIssuers, JwksFileOnOtherKindsIsRefused) {
  TempDir dir;
  dir.write("keys.json", "{}");
  expect_single_error(dir.load(oidc_with("jwks_file: keys.json")), 6, 16,
                      {"issuers[0].jwks_file: only issuers of kind jwks take a jwks_file"});
}

TEST(ConfigIssuers, DuplicateNamesAndIssuerUrlsAreRefused) {
  TempDir dir;
  auto r = dir.load(
      "issuers:\n"
      "  - { name: a, kind: backstage, issuer: \"http://localhost:7007\" }\n"
      "  - { name: a, kind: backstage, issuer: \"http://localhost:7007\" }\n");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].to_string(),
            dir.str("stackgate.yaml") +
                ":3:13: issuers[1].name: duplicate issuer name \"a\" (already used by issuers[0])");
  EXPECT_EQ(r.diagnostics[1].to_string(),
            dir.str("stackgate.yaml") +
                ":3:41: issuers[1].issuer: duplicate issuer URL \"http://localhost:7007\" (already "
                "used by issuers[0])");
}

}  // namespace
}  // namespace sg::config
