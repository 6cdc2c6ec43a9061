// Shared helpers for the JOSE unit tests: test data files, hex, cached keys, hand-made tokens.
//
// Keys are generated once per test binary (RSA generation is slow) and never change afterwards.
// Test-only; not thread-safe beyond what GoogleTest needs (tests run on one thread).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/clock.hpp"
#include "jose/algorithm.hpp"
#include "jose/bytes.hpp"
#include "jose/jwks.hpp"
#include "jose/signing_key.hpp"
#include "jose/verify_options.hpp"

namespace sg::jose::test {

// "<shared>/testdata/jose/<name>", or nullopt when the directory is absent.
std::optional<std::string> testdata_path(std::string_view name);
// The parsed JSON of a testdata file; nullopt when the file is absent.
std::optional<boost::json::value> load_testdata(std::string_view name);

Bytes hex(std::string_view s);

// One cached signing key per algorithm, kid = the algorithm name ("ES256", ...).
const SigningKey& key_for(Algorithm alg);
// A KeySet holding the verification key of each given signing key.
KeySet keyset_of(std::initializer_list<const SigningKey*> keys);

// Pinned "now" for claims tests: 2023-11-14T22:13:20Z.
inline constexpr std::int64_t kNow = 1'700'000'000;
inline Time at(std::int64_t unix_seconds) {
  return Time(std::chrono::seconds(unix_seconds));
}

inline constexpr std::string_view kIssuer = "https://issuer.example";
inline constexpr std::string_view kAudience = "stackgate";

// Every algorithm allowed; issuer and audience as above; default leeway.
VerifyOptions options();
// A valid claims set for kNow: iss, sub, aud, iat, exp = now + 600.
std::string claims_json();

// header.payload.signature with `header_json` and `payload` exactly as given, signed by `key`.
std::string make_jws(std::string_view header_json, std::string_view payload, const SigningKey& key);

// Replaces the character at `index` of `token` with a different base64url character.
std::string flip_char(std::string token, std::size_t index);

}  // namespace sg::jose::test
