#include <gtest/gtest.h>

#include <fstream>

#include "identity/issuer_factory.hpp"
#include "identity_test_support.hpp"
#include "jose/inspect.hpp"

namespace sg::identity {
namespace {

using namespace std::chrono_literals;
using test::at;
using test::kNow;

const std::string kIssuer = "https://login.example.com";
const std::string kJwks = "https://login.example.com/keys";

class OidcIssuerTest : public ::testing::Test {
 protected:
  OidcIssuerTest() : clock_(at(kNow)), key_(test::es256_key("k1")) {
    fetcher_.set(kIssuer + "/.well-known/openid-configuration", test::discovery_of(kIssuer, kJwks));
    fetcher_.set(kJwks, test::jwks_of({&key_}));
    config_.name = "corp-sso";
    config_.kind = config::IssuerConfig::Kind::kOidc;
    config_.issuer = kIssuer;
    config_.audiences = {"stackgate"};
  }

  std::unique_ptr<TrustedIssuer> issuer(const IssuerMaterial& material = {}) {
    auto made = make_issuer(config_, material, fetcher_, clock_, nullptr);
    EXPECT_TRUE(made.ok()) << made.error().message;
    return std::move(made).value();
  }

  boost::json::object claims() const {
    return {{"iss", kIssuer},           {"sub", "ci-bot"},   {"aud", "stackgate"},
            {"iat", kNow - 10},         {"exp", kNow + 600}, {"email", "bot@example.com"},
            {"groups", {"eng", "ops"}}, {"jti", "id-1"}};
  }

  Error refused(const std::string& token) {
    auto r = issuer()->verify(token, at(kNow));
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
  }

  test::FakeFetcher fetcher_;
  ManualClock clock_;
  jose::SigningKey key_;
  config::IssuerConfig config_;
};

TEST_F(OidcIssuerTest, AcceptsAValidTokenAndMapsItsClaims) {
  config_.principal_kind = config::IssuerConfig::PrincipalKind::kMachine;
  auto p = issuer()->verify(test::sign(key_, claims()), at(kNow));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->subject, "ci-bot");
  EXPECT_EQ(p->issuer, "corp-sso");
  EXPECT_EQ(p->kind, policy::PrincipalKind::kMachine);
  EXPECT_EQ(p->email, "bot@example.com");
  EXPECT_EQ(p->groups, (std::vector<std::string>{"eng", "ops"}));
  EXPECT_EQ(p->token_id, "id-1");
  EXPECT_EQ(p->expires_at, kNow + 600);
  EXPECT_EQ(p->claims.at("sub").as_string(), "ci-bot");
}

TEST_F(OidcIssuerTest, AcceptsAtJwtType) {
  EXPECT_TRUE(issuer()->verify(test::sign(key_, claims(), "at+jwt"), at(kNow)).ok());
}

TEST_F(OidcIssuerTest, WrongAudienceIsRefused) {
  auto c = claims();
  c["aud"] = "someone-else";
  auto e = refused(test::sign(key_, c));
  EXPECT_EQ(e.code, Errc::kWrongAudience);
  EXPECT_EQ(e.message, "token audience is not accepted");
}

TEST_F(OidcIssuerTest, WrongIssuerIsRefused) {
  auto c = claims();
  c["iss"] = "https://login.example.com/";
  auto e = refused(test::sign(key_, c));
  EXPECT_EQ(e.code, Errc::kWrongIssuer);
  EXPECT_EQ(e.message, "token issuer does not match");
}

TEST_F(OidcIssuerTest, ExpiredTokenIsRefused) {
  auto c = claims();
  c["exp"] = kNow - 31;  // beyond the 30 s leeway
  auto e = refused(test::sign(key_, c));
  EXPECT_EQ(e.code, Errc::kExpired);
  EXPECT_EQ(e.message, "token expired");
}

TEST_F(OidcIssuerTest, TokenNotYetValidIsRefused) {
  auto c = claims();
  c["nbf"] = kNow + 60;
  auto e = refused(test::sign(key_, c));
  EXPECT_EQ(e.code, Errc::kNotYetValid);
  EXPECT_EQ(e.message, "token not valid yet (nbf is in the future)");
}

TEST_F(OidcIssuerTest, AlgorithmOutsideTheAllowListIsRefused) {
  config_.algorithms = {"RS256"};
  auto e = refused(test::sign(key_, claims()));
  EXPECT_EQ(e.code, Errc::kDisallowedAlgorithm);
  EXPECT_EQ(e.message, "alg ES256 is not allowed for this issuer");
}

TEST_F(OidcIssuerTest, HmacIsNeverAllowedWithoutASecret) {
  auto hs = jose::SigningKey::from_shared_secret(jose::Bytes(32, 7), jose::Algorithm::kHS256, "k1");
  ASSERT_TRUE(hs.ok());
  auto e = refused(test::sign(*hs, claims()));
  EXPECT_EQ(e.code, Errc::kDisallowedAlgorithm);
  EXPECT_EQ(e.message, "alg HS256 is not allowed for this issuer");
}

TEST_F(OidcIssuerTest, HmacWithTheConfiguredSecretIsAcceptedWithOrWithoutKid) {
  const std::string secret(32, 's');
  auto is = issuer({std::nullopt, secret});
  for (std::string kid : {"", "hs-1"}) {
    auto hs =
        jose::SigningKey::from_shared_secret(jose::to_bytes(secret), jose::Algorithm::kHS256, kid);
    ASSERT_TRUE(hs.ok());
    auto p = is->verify(test::sign(*hs, claims()), at(kNow));
    EXPECT_TRUE(p.ok()) << kid << ": " << p.error().message;
  }
  auto wrong =
      jose::SigningKey::from_shared_secret(jose::Bytes(32, 1), jose::Algorithm::kHS256, "");
  EXPECT_EQ(is->verify(test::sign(*wrong, claims()), at(kNow)).code(), Errc::kBadSignature);
}

TEST_F(OidcIssuerTest, TypeMismatchIsRefused) {
  auto e = refused(test::sign(key_, claims(), "vnd.backstage.user"));
  EXPECT_EQ(e.code, Errc::kMalformedToken);
  EXPECT_EQ(e.message, "header typ \"vnd.backstage.user\" is not accepted");
}

TEST_F(OidcIssuerTest, ConfiguredTypesReplaceTheDefault) {
  config_.types = {"application/custom+jwt"};
  EXPECT_EQ(refused(test::sign(key_, claims())).code, Errc::kMalformedToken);
  EXPECT_TRUE(issuer()->verify(test::sign(key_, claims(), "custom+jwt"), at(kNow)).ok());
}

TEST_F(OidcIssuerTest, UnknownKidIsRefusedAfterOneRefresh) {
  auto other = test::es256_key("k2");
  auto e = refused(test::sign(other, claims()));
  EXPECT_EQ(e.code, Errc::kUnknownKey);
  EXPECT_EQ(e.message, "no key with this token's kid");
}

TEST_F(OidcIssuerTest, ForeignKeyWithAKnownKidDoesNotVerify) {
  auto forger = test::es256_key("k1");
  auto e = refused(test::sign(forger, claims()));
  EXPECT_EQ(e.code, Errc::kBadSignature);
  EXPECT_EQ(e.message, "signature does not verify");
}

TEST_F(OidcIssuerTest, IssuerDownWithoutKeysIsUnavailable) {
  fetcher_.fail(kJwks);
  auto e = refused(test::sign(key_, claims()));
  EXPECT_EQ(e.code, Errc::kIssuerUnavailable);
}

TEST_F(OidcIssuerTest, ShouldTryOnlyItsOwnIss) {
  auto mine = jose::decode_unverified(test::sign(key_, claims()));
  auto c = claims();
  c["iss"] = "https://other.example";
  auto other = jose::decode_unverified(test::sign(key_, c));
  EXPECT_TRUE(issuer()->should_try(*mine));
  EXPECT_FALSE(issuer()->should_try(*other));
}

TEST_F(OidcIssuerTest, StaticJwksIssuerVerifiesWithoutNetwork) {
  config_.kind = config::IssuerConfig::Kind::kJwks;
  config_.jwks_file = "/unused";
  auto is = issuer({test::jwks_of({&key_}), std::nullopt});
  EXPECT_TRUE(is->ready().ok());
  EXPECT_TRUE(is->verify(test::sign(key_, claims()), at(kNow)).ok());
  EXPECT_EQ(fetcher_.total_calls(), 0);
}

TEST_F(OidcIssuerTest, FactoryRefusesBadConfiguration) {
  auto made = [&] { return make_issuer(config_, {}, fetcher_, clock_, nullptr); };
  config_.claims = {{"roles", "groups"}};
  EXPECT_EQ(made().error().message,
            "issuer corp-sso: claims: roles is not a principal attribute (subject, email, name, "
            "team, groups, ownership)");
  config_.claims = {};
  config_.algorithms = {"HS256"};
  EXPECT_EQ(made().error().message,
            "issuer corp-sso: HS256 needs the shared `secret` of this issuer");
  config_.algorithms = {};
  config_.audiences = {};
  EXPECT_EQ(made().code(), Errc::kInvalidConfig);
  config_.audiences = {"stackgate"};
  config_.kind = config::IssuerConfig::Kind::kDev;
  EXPECT_EQ(made().error().message,
            "issuer corp-sso: the dev issuer exists only under `serve --dev`");
  config_.kind = config::IssuerConfig::Kind::kJwks;
  EXPECT_EQ(made().error().message, "issuer corp-sso: jwks_file was not read");
}

TEST_F(OidcIssuerTest, MakeIssuersReadsTheJwksFile) {
  config_.kind = config::IssuerConfig::Kind::kJwks;
  config_.jwks_file = ::testing::TempDir() + "/identity_jwks.json";
  {
    std::ofstream out(config_.jwks_file);
    out << test::jwks_of({&key_});
  }
  auto issuers = make_issuers({config_}, fetcher_, clock_, nullptr);
  ASSERT_TRUE(issuers.ok()) << issuers.error().message;
  ASSERT_EQ(issuers->size(), 1u);
  EXPECT_TRUE((*issuers)[0]->verify(test::sign(key_, claims()), at(kNow)).ok());
  config_.jwks_file = "/nonexistent/jwks.json";
  EXPECT_EQ(
      make_issuers({config_}, fetcher_, clock_, nullptr).error().message,
      "issuer corp-sso: jwks_file /nonexistent/jwks.json: cannot read the file: No such file or "
      "directory");
}

}  // namespace
}  // namespace sg::identity
