// Signature verification with the cached per-key template contexts (verify_templates.hpp): one key
// serving several algorithms, and many threads sharing one Jwk (run under the ASan build too).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "jose/base64url.hpp"
#include "jose/jwk.hpp"
#include "jose/sign.hpp"
#include "jose/signature.hpp"
#include "test_support.hpp"

namespace sg::jose {
namespace {

using test::key_for;

// One signing input, its valid signature and a tampered one, for one algorithm and one key.
struct Case {
  Algorithm alg;
  const Jwk* key;
  std::string input;
  Bytes good;
  Bytes bad;
};

Case make_case(const SigningKey& signer, const Jwk& key) {
  Case c{
      signer.algorithm(), &key, "eyJhbGciOiJ4In0." + base64url_encode(test::claims_json()), {}, {}};
  auto sig = sign_bytes(signer, c.input);
  EXPECT_TRUE(sig.ok()) << sig.error().message;
  c.good = sig.ok() ? *sig : Bytes{};
  c.bad = c.good;
  if (!c.bad.empty()) c.bad[c.bad.size() / 2] ^= 0x01;
  return c;
}

// The public JWK of `signer` without its `alg`, so one key may verify every algorithm of its kind.
Jwk unbound_key(const SigningKey& signer) {
  auto jwk = signer.public_jwk();
  EXPECT_TRUE(jwk.ok());
  jwk->erase("alg");
  auto key = Jwk::parse_public(*jwk);
  EXPECT_TRUE(key.ok()) << key.error().message;
  return *key;
}

TEST(SignatureVerify, OneRsaKeyVerifiesPkcs1AndPssWithoutMixingTheirPadding) {
  const SigningKey& rs = key_for(Algorithm::kRS256);
  auto der = rs.export_der();
  ASSERT_TRUE(der.ok());
  auto ps = SigningKey::import_der(*der, Algorithm::kPS256, "PS256-same-key");
  ASSERT_TRUE(ps.ok()) << ps.error().message;
  const Jwk key = unbound_key(rs);
  const Case pkcs1 = make_case(rs, key);
  const Case pss = make_case(*ps, key);
  for (int round = 0; round < 2; ++round) {  // the second round uses the cached templates
    EXPECT_TRUE(verify_signature(Algorithm::kRS256, key, pkcs1.input, pkcs1.good).ok());
    EXPECT_TRUE(verify_signature(Algorithm::kPS256, key, pss.input, pss.good).ok());
    EXPECT_EQ(verify_signature(Algorithm::kPS256, key, pkcs1.input, pkcs1.good).code(),
              Errc::kBadSignature);
    EXPECT_EQ(verify_signature(Algorithm::kRS256, key, pss.input, pss.good).code(),
              Errc::kBadSignature);
    EXPECT_EQ(verify_signature(Algorithm::kRS384, key, pkcs1.input, pkcs1.good).code(),
              Errc::kBadSignature);
  }
}

TEST(SignatureVerify, ConcurrentVerificationsShareOneKey) {
  const SigningKey& rs = key_for(Algorithm::kRS256);
  auto der = rs.export_der();
  ASSERT_TRUE(der.ok());
  auto ps = SigningKey::import_der(*der, Algorithm::kPS256, "PS256-same-key");
  ASSERT_TRUE(ps.ok());
  const Jwk rsa = unbound_key(rs);
  auto ec = key_for(Algorithm::kES256).verification_key();
  auto ed = key_for(Algorithm::kEdDSA).verification_key();
  ASSERT_TRUE(ec.ok() && ed.ok());
  const std::vector<Case> cases = {make_case(rs, rsa), make_case(*ps, rsa),
                                   make_case(key_for(Algorithm::kES256), *ec),
                                   make_case(key_for(Algorithm::kEdDSA), *ed)};
  constexpr int kThreads = 8;
  constexpr int kRounds = 50;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&cases, &wrong, t] {
      for (int round = 0; round < kRounds; ++round) {
        for (std::size_t i = 0; i < cases.size(); ++i) {
          const Case& c = cases[(i + static_cast<std::size_t>(t)) % cases.size()];
          if (!verify_signature(c.alg, *c.key, c.input, c.good).ok()) ++wrong;
          if (verify_signature(c.alg, *c.key, c.input, c.bad).code() != Errc::kBadSignature) {
            ++wrong;
          }
        }
      }
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace sg::jose
