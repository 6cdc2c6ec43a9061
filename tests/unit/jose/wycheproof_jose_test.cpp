// Project Wycheproof JOSE vectors (json_web_signature_test.json, json_web_key_test.json) through
// the full JWS verifier (rules 1-6). "valid" must verify and "invalid" must fail, except where
// KNOWN_ANOMALIES.json or a rule of jose-rules.md makes us stricter; each such case is listed below
// with its reason and asserted as a rejection.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include <boost/json/serialize.hpp>

#include "jose/verify.hpp"
#include "wycheproof_support.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;
using test::Tally;

#define LOAD_OR_SKIP(var, name)                                             \
  const std::optional<bj::value> var = test::load_wycheproof(name);         \
  if (!var)                                                                 \
    GTEST_SKIP() << "Wycheproof data not found under " STACKGATE_SHARED_DIR \
                    "/testdata/jose/wycheproof (" name "); vectors not run";

// json_web_signature_test.json vectors the file calls valid and a strict verifier rejects.
const std::map<std::int64_t, std::string>& jws_stricter() {
  static const std::map<std::int64_t, std::string> m = {
      {346, "KNOWN_ANOMALIES: token PS384, JWK alg PS256 (rule 5: JWK alg equal)"},
      {350, "KNOWN_ANOMALIES: token PS384, JWK alg PS256 (rule 5: JWK alg equal)"},
      {347, "KNOWN_ANOMALIES: JWK alg ES521 is not a JWS algorithm (rule 5)"},
      {351, "KNOWN_ANOMALIES: JWK alg ES521 is not a JWS algorithm (rule 5)"},
      {372, "KNOWN_ANOMALIES: '?' inside the header segment (rules 1-2)"},
      {373, "KNOWN_ANOMALIES: '?' inside the payload segment (rules 1-2)"},
      {349, "JWK key_ops is [\"sign, verify\"], one string without \"verify\" (rule 5)"},
  };
  return m;
}

// Byte-identical to the valid tcId 357, so no verifier can reject them (KNOWN_ANOMALIES: skip).
const std::set<std::int64_t> kJwsSkipped = {367, 370};

bool is_empty_payload(std::string_view jws) {
  const std::size_t d1 = jws.find('.');
  return d1 != std::string_view::npos && d1 + 1 < jws.size() && jws[d1 + 1] == '.';
}

// A JWK with the asymmetric private members removed (the files give private keys).
bj::object public_part(bj::object jwk) {
  for (const char* m : {"d", "p", "q", "dp", "dq", "qi", "oth"})
    jwk.erase(m);
  return jwk;
}

VerifyOptions any_algorithm() {
  VerifyOptions o;
  o.algorithms = all_algorithms();
  return o;
}

std::string token_text(const bj::value& jws) {
  return jws.is_string() ? std::string(jws.as_string()) : bj::serialize(jws);  // JSON serialization
}

TEST(Wycheproof, JsonWebSignature) {
  LOAD_OR_SKIP(doc, "json_web_signature_test.json");
  Tally t{"json_web_signature_test.json"};
  int empty_payload = 0;
  std::string valid357;
  for (const bj::value& g : doc->at("testGroups").as_array()) {
    const bj::object jwk = public_part(g.at("private").as_object());
    KeySet keys;
    const bj::value* kty = jwk.if_contains("kty");
    const bool oct = kty != nullptr && *kty == "oct";
    auto key = oct ? Jwk::parse_shared_secret(jwk) : Jwk::parse_public(jwk);
    if (key.ok()) {
      ASSERT_TRUE(keys.add(std::move(key).value()).ok());
    }
    for (const bj::value& v : g.at("tests").as_array()) {
      const auto id = v.at("tcId").as_int64();
      const std::string token = token_text(v.at("jws"));
      const bool valid = v.at("result") == "valid";
      if (id == 357) valid357 = token;
      if (kJwsSkipped.count(id) != 0) {
        EXPECT_EQ(token, valid357) << "tcId " << id << " is no longer identical to 357";
        ++t.seen;
        ++t.skipped;
        continue;
      }
      auto r = verify_jws_signature(token, keys, any_algorithm());
      const auto stricter = jws_stricter().find(id);
      if (stricter != jws_stricter().end()) {
        EXPECT_TRUE(valid);
        EXPECT_FALSE(r.ok()) << "tcId " << id << ": " << stricter->second;
        ++t.seen;
        t.strict_rejected += r.ok() ? 0 : 1;
        continue;
      }
      if (valid && is_empty_payload(token)) {  // rule 1: three non-empty segments
        ASSERT_FALSE(r.ok()) << "tcId " << id;
        EXPECT_EQ(r.error().message, "token payload segment is empty");
        ++t.seen;
        ++t.strict_rejected;
        ++empty_payload;
        continue;
      }
      ++t.seen;
      if (valid) {
        EXPECT_TRUE(r.ok()) << "tcId " << id << " (" << v.at("comment").as_string()
                            << "): " << r.error().message;
        t.valid_accepted += r.ok() ? 1 : 0;
      } else {
        EXPECT_FALSE(r.ok()) << "tcId " << id << " (" << v.at("comment").as_string() << ")";
        t.invalid_rejected += r.ok() ? 0 : 1;
      }
    }
  }
  t.print();
  std::cout << "[wycheproof]   of which valid-but-empty-payload rejected by rule 1: "
            << empty_payload << "\n";
  EXPECT_EQ(t.seen, doc->at("numberOfTests").as_int64());
  EXPECT_EQ(t.strict_rejected, static_cast<int>(jws_stricter().size()) + empty_payload);
}

// A "private" keyset of the file as a KeySet: oct-only sets through the shared-secret API, others
// as public JWKS (after removing asymmetric private members; a remaining `k` refuses the set).
Result<ParsedJwks> keyset_of(const bj::object& set) {
  bj::array keys;
  bool all_oct = true;
  for (const bj::value& k : set.at("keys").as_array()) {
    keys.push_back(public_part(k.as_object()));
    const bj::value* kty = k.as_object().if_contains("kty");
    all_oct = all_oct && kty != nullptr && *kty == "oct";
  }
  const std::string json = bj::serialize(bj::object{{"keys", keys}});
  return all_oct ? parse_shared_secret_jwks(json) : parse_jwks(json);
}

TEST(Wycheproof, JsonWebKey) {
  LOAD_OR_SKIP(doc, "json_web_key_test.json");
  Tally t{"json_web_key_test.json"};
  int refused_sets = 0;
  for (const bj::value& g : doc->at("testGroups").as_array()) {
    auto parsed = keyset_of(g.at("private").as_object());
    const KeySet keys = parsed.ok() ? parsed->keys : KeySet{};
    refused_sets += parsed.ok() ? 0 : 1;
    for (const bj::value& v : g.at("tests").as_array()) {
      const auto id = v.at("tcId").as_int64();
      auto r = verify_jws_signature(token_text(v.at("jws")), keys, any_algorithm());
      ++t.seen;
      // tcId 7 (ROCA) is listed in KNOWN_ANOMALIES as optional; the strict expectation holds.
      if (v.at("result") == "valid") {
        EXPECT_TRUE(r.ok()) << "tcId " << id << ": " << r.error().message;
        t.valid_accepted += r.ok() ? 1 : 0;
      } else {
        EXPECT_FALSE(r.ok()) << "tcId " << id << " (" << v.at("comment").as_string() << ")";
        t.invalid_rejected += r.ok() ? 0 : 1;
      }
    }
  }
  t.print();
  std::cout << "[wycheproof]   of which key sets refused as a whole: " << refused_sets << "\n";
  EXPECT_EQ(t.seen, doc->at("numberOfTests").as_int64());
}

// tcId 7 of json_web_key_test.json is refused for the right reason, not by accident.
TEST(Wycheproof, JsonWebKeyRocaKeyIsSkippedForItsFingerprint) {
  LOAD_OR_SKIP(doc, "json_web_key_test.json");
  int found = 0;
  for (const bj::value& g : doc->at("testGroups").as_array()) {
    if (g.at("tests").at(0).at("tcId") != 7) continue;
    auto parsed = keyset_of(g.at("private").as_object());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_TRUE(parsed->keys.empty());
    ASSERT_EQ(parsed->skipped.size(), 1u);
    EXPECT_EQ(parsed->skipped[0].reason, "RSA modulus has the ROCA (CVE-2017-15361) fingerprint");
    ++found;
  }
  EXPECT_EQ(found, 1);
}

}  // namespace
}  // namespace sg::jose
