// Rule 5 and "JWKS and discovery": which single keys are usable, and for which algorithm.
#include "jose/jwk.hpp"

#include <gtest/gtest.h>
#include <openssl/bn.h>

#include <memory>

#include "jose/base64url.hpp"
#include "jose/key_import.hpp"
#include "test_support.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;
using test::key_for;

bj::object public_jwk(Algorithm alg) {
  auto jwk = key_for(alg).public_jwk();
  EXPECT_TRUE(jwk.ok());
  return jwk.ok() ? *jwk : bj::object{};
}

std::string b64(const Bytes& b) {
  return base64url_encode(b);
}

Bytes unb64(const bj::value& v) {
  auto r = base64url_decode(v.as_string());
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : Bytes{};
}

// An odd modulus of `bytes` octets whose top bit is set.
Bytes fake_modulus(std::size_t bytes) {
  Bytes n(bytes, 0xa7);
  n.front() = 0xc3;
  n.back() = 0x01;
  return n;
}

bj::object rsa_jwk(const Bytes& n, const Bytes& e) {
  return bj::object{{"kty", "RSA"}, {"kid", "r"}, {"n", b64(n)}, {"e", b64(e)}};
}

void expect_refused(const Result<Jwk>& r, std::string_view message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message, message);
}

TEST(Jwk, ParsesGeneratedPublicKeysOfEveryFamily) {
  for (Algorithm alg : {Algorithm::kRS256, Algorithm::kES256, Algorithm::kES384, Algorithm::kES512,
                        Algorithm::kEdDSA}) {
    auto r = Jwk::parse_public(public_jwk(alg));
    ASSERT_TRUE(r.ok()) << algorithm_name(alg) << ": " << r.error().message;
    EXPECT_EQ(r->kid(), std::string(algorithm_name(alg)));
    EXPECT_EQ(r->algorithm(), alg);
    EXPECT_TRUE(r->check_usable_for(alg).ok());
  }
}

TEST(Jwk, RejectsRsaKeyBelow2048Bits) {
  expect_refused(Jwk::parse_public(rsa_jwk(fake_modulus(128), {1, 0, 1})),
                 "RSA modulus is 1024 bits; accepted are 2048 to 8192");
  Bytes n2047 = fake_modulus(256);
  n2047.front() = 0x43;  // 2047 bits
  expect_refused(Jwk::parse_public(rsa_jwk(n2047, {1, 0, 1})),
                 "RSA modulus is 2047 bits; accepted are 2048 to 8192");
}

TEST(Jwk, RejectsRsaKeyAbove8192Bits) {
  expect_refused(Jwk::parse_public(rsa_jwk(fake_modulus(1025), {1, 0, 1})),
                 "RSA modulus is 8200 bits; accepted are 2048 to 8192");
}

TEST(Jwk, RejectsRsaExponentOneOrEven) {
  for (const Bytes& e : {Bytes{1}, Bytes{2}, Bytes{0}, Bytes{1, 0, 0}, Bytes{1, 0, 0, 0, 1}}) {
    expect_refused(Jwk::parse_public(rsa_jwk(fake_modulus(256), e)),
                   "RSA exponent must be odd and between 3 and 2^32");
  }
}

TEST(Jwk, AcceptsRsaModulusWithLeadingZeroOctet) {
  bj::object jwk = public_jwk(Algorithm::kRS256);
  Bytes n = unb64(jwk["n"]);
  n.insert(n.begin(), 0);
  jwk["n"] = b64(n);
  auto r = Jwk::parse_public(jwk);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->bits(), 2048u);
}

// A modulus congruent to a power of 65537 modulo every odd prime up to 701: the ROCA fingerprint.
Bytes roca_like_modulus() {
  struct BnFree {
    void operator()(BIGNUM* b) const { BN_free(b); }
  };
  using Bn = std::unique_ptr<BIGNUM, BnFree>;
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx(BN_CTX_new(), BN_CTX_free);
  Bn m(BN_new()), g(BN_new()), r(BN_new()), k(BN_new()), n(BN_new());
  BN_one(m.get());
  for (unsigned p = 3; p <= 701; p += 2) {
    bool prime = true;
    for (unsigned d = 3; d * d <= p; d += 2)
      prime = prime && p % d != 0;
    if (prime) BN_mul_word(m.get(), p);
  }
  BN_set_word(g.get(), 65537);
  BN_set_word(k.get(), 1234567);
  BN_mod_exp(r.get(), g.get(), k.get(), m.get(), ctx.get());  // 65537^k mod M
  BN_lshift(n.get(), BN_value_one(), 2047);
  BN_div(k.get(), nullptr, n.get(), m.get(), ctx.get());  // k = 2^2047 / M
  BN_add_word(k.get(), 12345);
  BN_mul(n.get(), k.get(), m.get(), ctx.get());
  BN_add(n.get(), n.get(), r.get());  // n = k*M + 65537^e mod M, about 2048 bits
  if (!BN_is_odd(n.get())) BN_add(n.get(), n.get(), m.get());  // M is odd: flips parity
  Bytes out(static_cast<std::size_t>(BN_num_bytes(n.get())));
  BN_bn2bin(n.get(), out.data());
  return out;
}

TEST(Jwk, RejectsRsaKeyWithRocaFingerprint) {
  const Bytes n = roca_like_modulus();
  EXPECT_TRUE(detail::has_roca_fingerprint(n));
  expect_refused(Jwk::parse_public(rsa_jwk(n, {1, 0, 1})),
                 "RSA modulus has the ROCA (CVE-2017-15361) fingerprint");
  // Ordinary keys do not have it.
  EXPECT_FALSE(detail::has_roca_fingerprint(unb64(public_jwk(Algorithm::kRS256)["n"])));
}

TEST(Jwk, RejectsEcPointNotOnCurve) {
  bj::object jwk = public_jwk(Algorithm::kES256);
  Bytes y = unb64(jwk["y"]);
  y.back() ^= 1;
  jwk["y"] = b64(y);
  auto r = Jwk::parse_public(jwk);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), Errc::kInvalidArgument);
  EXPECT_EQ(r.error().message.rfind("EC point is not", 0), 0u) << r.error().message;
}

TEST(Jwk, RejectsEcCoordinatesThatAreNotFullLength) {
  bj::object jwk = public_jwk(Algorithm::kES256);
  Bytes x = unb64(jwk["x"]);
  x.erase(x.begin());
  jwk["x"] = b64(x);
  expect_refused(Jwk::parse_public(jwk), "EC coordinates must be exactly 32 bytes for P-256");
}

TEST(Jwk, RejectsEcKeyWhoseCrvDoesNotFitItsCoordinates) {
  bj::object jwk = public_jwk(Algorithm::kES256);
  jwk.erase("alg");
  jwk["crv"] = "P-384";
  expect_refused(Jwk::parse_public(jwk), "EC coordinates must be exactly 48 bytes for P-384");
}

TEST(Jwk, RejectsUnsupportedCurve) {
  bj::object jwk = public_jwk(Algorithm::kES256);
  jwk["crv"] = "secp256k1";
  expect_refused(Jwk::parse_public(jwk), "JWK crv is missing or not supported for kty EC");
  bj::object okp = public_jwk(Algorithm::kEdDSA);
  okp["crv"] = "X25519";
  expect_refused(Jwk::parse_public(okp), "JWK crv is missing or not supported for kty OKP");
}

TEST(Jwk, RejectsEd25519KeyThatIsNot32Bytes) {
  bj::object jwk = public_jwk(Algorithm::kEdDSA);
  Bytes x = unb64(jwk["x"]);
  x.pop_back();
  jwk["x"] = b64(x);
  expect_refused(Jwk::parse_public(jwk), "Ed25519 public key must be exactly 32 bytes");
}

TEST(Jwk, RejectsPrivateMembersInPublicKey) {
  for (const char* m : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    bj::object jwk = public_jwk(Algorithm::kES256);
    jwk[m] = "AAAA";
    expect_refused(Jwk::parse_public(jwk), std::string("JWK has private member ") + m);
  }
}

TEST(Jwk, RejectsOctKeyAsPublicKey) {
  expect_refused(Jwk::parse_public(bj::object{{"kty", "oct"}}),
                 "JWK of kty oct is a shared secret, not a public key");
}

TEST(Jwk, RejectsUseOtherThanSig) {
  bj::object jwk = public_jwk(Algorithm::kES256);
  jwk["use"] = "enc";
  expect_refused(Jwk::parse_public(jwk), "JWK use is not \"sig\"");
}

TEST(Jwk, RejectsKeyOpsWithoutVerify) {
  bj::object jwk = public_jwk(Algorithm::kES256);
  jwk["key_ops"] = bj::array{"encrypt", "decrypt"};
  expect_refused(Jwk::parse_public(jwk), "JWK key_ops does not contain \"verify\"");
  jwk["key_ops"] = bj::array{"sign, verify"};  // one malformed string is not "verify"
  expect_refused(Jwk::parse_public(jwk), "JWK key_ops does not contain \"verify\"");
  jwk["key_ops"] = bj::array{"verify", "verify"};
  expect_refused(Jwk::parse_public(jwk), "JWK key_ops repeats a value");
  jwk["key_ops"] = bj::array{"sign", "verify"};
  EXPECT_TRUE(Jwk::parse_public(jwk).ok());
}

TEST(Jwk, RejectsUnknownJwkAlg) {
  bj::object jwk = public_jwk(Algorithm::kES512);
  jwk["alg"] = "ES521";
  expect_refused(Jwk::parse_public(jwk), "JWK alg is not a supported JWS algorithm");
}

TEST(Jwk, RejectsJwkAlgThatDoesNotMatchKeyType) {
  bj::object jwk = public_jwk(Algorithm::kES256);
  jwk["alg"] = "ES384";
  expect_refused(Jwk::parse_public(jwk), "JWK alg ES384 does not match its kty/crv");
  jwk["alg"] = "HS256";
  expect_refused(Jwk::parse_public(jwk), "JWK alg HS256 does not match its kty/crv");
}

TEST(Jwk, BindsKeyToItsFamilyCurveAndAlg) {
  auto rsa = Jwk::parse_public(public_jwk(Algorithm::kRS256));
  ASSERT_TRUE(rsa.ok());
  EXPECT_EQ(rsa->check_usable_for(Algorithm::kPS256).code(), Errc::kDisallowedAlgorithm);
  EXPECT_EQ(rsa->check_usable_for(Algorithm::kHS256).code(), Errc::kDisallowedAlgorithm);
  EXPECT_EQ(rsa->check_usable_for(Algorithm::kHS256).error().message,
            "key is of kty RSA and cannot verify HS256");

  bj::object no_alg = public_jwk(Algorithm::kES256);
  no_alg.erase("alg");
  auto ec = Jwk::parse_public(no_alg);
  ASSERT_TRUE(ec.ok());
  EXPECT_TRUE(ec->check_usable_for(Algorithm::kES256).ok());
  EXPECT_EQ(ec->check_usable_for(Algorithm::kES384).error().message,
            "key curve P-256 cannot verify ES384");
}

TEST(Jwk, SharedSecretMustBeAtLeastTheHashLength) {
  EXPECT_EQ(Jwk::shared_secret(Bytes(31, 1), std::nullopt, "s").code(), Errc::kInvalidArgument);
  EXPECT_EQ(Jwk::shared_secret(Bytes(47, 1), Algorithm::kHS384, "s").error().message,
            "shared secret is shorter than 48 bytes");
  auto s = Jwk::shared_secret(Bytes(32, 1), std::nullopt, "s");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->check_usable_for(Algorithm::kHS256).ok());
  EXPECT_EQ(s->check_usable_for(Algorithm::kHS512).error().message,
            "shared secret is too short for HS512");
  EXPECT_EQ(Jwk::shared_secret(Bytes(64, 1), Algorithm::kRS256, "s").code(),
            Errc::kInvalidArgument);
}

TEST(Jwk, SharedSecretJwkNeedsKtyOctAndStrictK) {
  EXPECT_EQ(Jwk::parse_shared_secret(public_jwk(Algorithm::kES256)).error().message,
            "shared-secret JWK must have kty oct");
  bj::object oct{{"kty", "oct"}, {"k", base64url_encode(Bytes(32, 7)) + "="}};
  EXPECT_EQ(Jwk::parse_shared_secret(oct).error().message,
            "JWK member k: base64url must not be padded");
  oct["k"] = base64url_encode(Bytes(32, 7));
  EXPECT_TRUE(Jwk::parse_shared_secret(oct).ok());
  oct["k"] = "";
  EXPECT_EQ(Jwk::parse_shared_secret(oct).error().message,
            "shared secret is shorter than 32 bytes");
}

}  // namespace
}  // namespace sg::jose
