#include "jose/jwks.hpp"

#include <array>
#include <set>

#include "jose/json_reader.hpp"
#include "jose/printable.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;

Error invalid(std::string what) {
  return make_error(Errc::kInvalidArgument, std::move(what));
}

enum class SetKind { kPublic, kSharedSecret };

constexpr std::array<std::string_view, 7> kAsymmetricPrivate = {"d",  "p",  "q",  "dp",
                                                                "dq", "qi", "oth"};

std::string entry_name(std::size_t i) {
  return "JWKS key " + std::to_string(i);
}

// Whole-set checks that do not depend on whether a key is usable.
Status check_entry(const bj::object& key, std::size_t i, SetKind kind) {
  for (const std::string_view m : kAsymmetricPrivate) {
    if (key.contains(m)) return invalid(entry_name(i) + " has private member " + std::string(m));
  }
  const bj::value* kty = key.if_contains("kty");
  const bool is_oct = kty != nullptr && kty->is_string() && kty->as_string() == "oct";
  if (kind == SetKind::kPublic && key.contains("k")) {
    return invalid(entry_name(i) + " has private member k (a shared secret in a public JWKS)");
  }
  if (kind == SetKind::kSharedSecret && !is_oct) {
    return invalid(entry_name(i) + " is not a shared secret (kty oct) in a shared-secret set");
  }
  return {};
}

Result<ParsedJwks> parse(std::string_view json, const JwksLimits& limits, SetKind kind) {
  auto doc =
      parse_strict_object(json, JsonLimits{limits.max_bytes, 32}, "JWKS", Errc::kInvalidArgument);
  if (!doc.ok()) return doc.error();
  const bj::value* keys = doc->if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return invalid("JWKS has no \"keys\" array");
  const bj::array& arr = keys->as_array();
  if (arr.size() > limits.max_keys) {
    return invalid("JWKS has " + std::to_string(arr.size()) + " keys; at most " +
                   std::to_string(limits.max_keys) + " are accepted");
  }

  std::set<std::string, std::less<>> kids;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_object()) continue;
    const bj::object& key = arr[i].as_object();
    if (auto s = check_entry(key, i, kind); !s.ok()) return s.error();
    const bj::value* kid = key.if_contains("kid");
    if (kid != nullptr && kid->is_string() && !kids.insert(std::string(kid->as_string())).second) {
      return invalid("JWKS has duplicate kid \"" + detail::printable(kid->as_string()) + "\"");
    }
  }

  ParsedJwks out;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    SkippedKey skip{i, std::nullopt, {}};
    if (!arr[i].is_object()) {
      skip.reason = "not a JSON object";
      out.skipped.push_back(std::move(skip));
      continue;
    }
    const bj::object& key = arr[i].as_object();
    if (const bj::value* kid = key.if_contains("kid"); kid != nullptr && kid->is_string()) {
      skip.kid = std::string(kid->as_string());
    }
    Result<Jwk> jwk =
        kind == SetKind::kPublic ? Jwk::parse_public(key) : Jwk::parse_shared_secret(key);
    if (!jwk.ok()) {
      skip.reason = jwk.error().message;
      out.skipped.push_back(std::move(skip));
      continue;
    }
    if (auto s = out.keys.add(std::move(jwk).value()); !s.ok()) return s.error();
  }
  return out;
}

}  // namespace

Status KeySet::add(Jwk key) {
  if (key.kid() && find(*key.kid()) != nullptr) {
    return invalid("key set already has kid \"" + detail::printable(*key.kid()) + "\"");
  }
  keys_.push_back(std::move(key));
  return {};
}

const Jwk* KeySet::find(std::string_view kid) const {
  for (const Jwk& k : keys_) {
    if (k.kid() && *k.kid() == kid) return &k;
  }
  return nullptr;
}

Result<const Jwk*> KeySet::select(const std::optional<std::string>& kid, Algorithm alg) const {
  if (kid) {
    const Jwk* key = find(*kid);
    if (key == nullptr) {
      return make_error(Errc::kUnknownKey, "no key with kid \"" + detail::printable(*kid) + "\"");
    }
    if (auto s = key->check_usable_for(alg); !s.ok()) {
      return make_error(s.code(), "kid \"" + detail::printable(*kid) + "\": " + s.error().message);
    }
    return key;
  }
  const Jwk* found = nullptr;
  std::size_t count = 0;
  for (const Jwk& k : keys_) {
    if (k.check_usable_for(alg).ok()) {
      found = &k;
      ++count;
    }
  }
  const std::string name(algorithm_name(alg));
  if (count == 0) return make_error(Errc::kUnknownKey, "no key can verify " + name);
  if (count > 1) {
    return make_error(Errc::kUnknownKey,
                      "token has no kid and " + std::to_string(count) + " keys can verify " + name);
  }
  return found;
}

Result<ParsedJwks> parse_jwks(std::string_view json, const JwksLimits& limits) {
  return parse(json, limits, SetKind::kPublic);
}

Result<ParsedJwks> parse_shared_secret_jwks(std::string_view json, const JwksLimits& limits) {
  return parse(json, limits, SetKind::kSharedSecret);
}

}  // namespace sg::jose
