#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <boost/json/parse.hpp>

#include "jose/base64url.hpp"
#include "jose/sign.hpp"

namespace sg::jose::test {

std::optional<std::string> testdata_path(std::string_view name) {
  const std::filesystem::path dir =
      std::filesystem::path(STACKGATE_SHARED_DIR) / "testdata" / "jose";
  if (!std::filesystem::is_directory(dir)) return std::nullopt;
  return (dir / name).string();
}

std::optional<boost::json::value> load_testdata(std::string_view name) {
  const auto path = testdata_path(name);
  if (!path) return std::nullopt;
  std::ifstream in(*path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return boost::json::parse(ss.str());
}

Bytes hex(std::string_view s) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex");
  };
  if (s.size() % 2 != 0) throw std::invalid_argument("odd hex length");
  Bytes out;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(nibble(s[i]) * 16 + nibble(s[i + 1])));
  }
  return out;
}

const SigningKey& key_for(Algorithm alg) {
  static std::map<Algorithm, SigningKey> cache;
  auto it = cache.find(alg);
  if (it == cache.end()) {
    auto key = SigningKey::generate(alg, std::string(algorithm_name(alg)));
    if (!key.ok()) throw std::runtime_error("key generation failed: " + key.error().message);
    it = cache.emplace(alg, std::move(key).value()).first;
  }
  return it->second;
}

KeySet keyset_of(std::initializer_list<const SigningKey*> keys) {
  KeySet set;
  for (const SigningKey* k : keys) {
    auto jwk = k->verification_key();
    if (!jwk.ok()) throw std::runtime_error("verification key: " + jwk.error().message);
    if (!set.add(std::move(jwk).value()).ok()) throw std::runtime_error("duplicate kid");
  }
  return set;
}

VerifyOptions options() {
  VerifyOptions o;
  o.algorithms = all_algorithms();
  o.issuer = std::string(kIssuer);
  o.audiences = std::vector<std::string>{std::string(kAudience)};
  return o;
}

std::string claims_json() {
  return R"({"iss":"https://issuer.example","sub":"alice","aud":"stackgate","iat":)" +
         std::to_string(kNow) + R"(,"exp":)" + std::to_string(kNow + 600) + "}";
}

std::string make_jws(std::string_view header_json, std::string_view payload,
                     const SigningKey& key) {
  std::string input = base64url_encode(header_json) + "." + base64url_encode(payload);
  auto sig = sign_bytes(key, input);
  if (!sig.ok()) throw std::runtime_error("signing failed: " + sig.error().message);
  return input + "." + base64url_encode(*sig);
}

std::string flip_char(std::string token, std::size_t index) {
  token[index] = token[index] == 'A' ? 'B' : 'A';
  return token;
}

}  // namespace sg::jose::test
