// Fuzz target: JWK Set parsing — parse_jwks (public keys) and parse_shared_secret_jwks.
//
// Arbitrary bytes go to both parsers with the default limits and to parse_jwks with small ones
// (1 KiB, 2 keys). Checks:
// - nothing crashes, leaks or trips ASan/UBSan (RSA, EC and Ed25519 import run on fuzzed
//   numbers), and failures are kInvalidArgument;
// - on success: |keys| + |skipped| <= max_keys, skipped indices strictly increase, kids are unique
//   and KeySet::find returns the key holding each;
// - a public set holds only RSA/EC/OKP keys with an OpenSSL key and no secret; a shared-secret set
//   holds only oct keys with a non-empty secret and no OpenSSL key;
// - KeySet::select, for every algorithm, with and without each kid, returns only a key with that
//   kid that check_usable_for accepts, or kUnknownKey/kDisallowedAlgorithm.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "jose/jwks.hpp"

namespace {

using namespace sg::jose;
using sg::Errc;

void check_select(const KeySet& keys, const std::optional<std::string>& kid, Algorithm alg) {
  const auto selected = keys.select(kid, alg);
  if (!selected.ok()) {
    SG_FUZZ_CHECK(selected.code() == Errc::kUnknownKey ||
                  selected.code() == Errc::kDisallowedAlgorithm);
    return;
  }
  const Jwk* key = *selected;
  SG_FUZZ_CHECK(key != nullptr);
  SG_FUZZ_CHECK(key->check_usable_for(alg).ok());
  if (kid) SG_FUZZ_CHECK(key->kid() == kid);
}

void check_set(const sg::Result<ParsedJwks>& parsed, const JwksLimits& limits, bool shared) {
  if (!parsed.ok()) {
    SG_FUZZ_CHECK(parsed.code() == Errc::kInvalidArgument);
    return;
  }
  const KeySet& keys = parsed->keys;
  SG_FUZZ_CHECK(keys.size() == keys.keys().size());
  SG_FUZZ_CHECK(keys.size() + parsed->skipped.size() <= limits.max_keys);
  for (std::size_t i = 1; i < parsed->skipped.size(); ++i)
    SG_FUZZ_CHECK(parsed->skipped[i - 1].index < parsed->skipped[i].index);
  for (const SkippedKey& s : parsed->skipped)
    SG_FUZZ_CHECK(!s.reason.empty());

  std::set<std::string> kids;
  for (const Jwk& key : keys.keys()) {
    if (shared) {
      SG_FUZZ_CHECK(key.family() == KeyFamily::kOct);
      SG_FUZZ_CHECK(key.pkey() == nullptr);
      SG_FUZZ_CHECK(!key.secret().empty());
    } else {
      SG_FUZZ_CHECK(key.family() != KeyFamily::kOct);
      SG_FUZZ_CHECK(key.pkey() != nullptr);
      SG_FUZZ_CHECK(key.secret().empty());
    }
    if (key.kid()) {
      SG_FUZZ_CHECK(kids.insert(*key.kid()).second);
      SG_FUZZ_CHECK(keys.find(*key.kid()) == &key);
    }
  }

  for (const Algorithm alg : all_algorithms()) {
    check_select(keys, std::nullopt, alg);
    for (const std::string& kid : kids)
      check_select(keys, kid, alg);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json = sg::fuzz::as_text(data, size);
  const JwksLimits defaults;
  check_set(parse_jwks(json, defaults), defaults, false);
  check_set(parse_shared_secret_jwks(json, defaults), defaults, true);
  const JwksLimits small{1024, 2};
  check_set(parse_jwks(json, small), small, false);
  return 0;
}
