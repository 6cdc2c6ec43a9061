#include "app/key_rings.hpp"

#include <string>

#include <openssl/crypto.h>

#include "jose/verify_options.hpp"
#include "keys/stored_key.hpp"

namespace sg::app {

Result<std::optional<keys::KeyEncryptionKey>> configured_kek(const config::TokensConfig& cfg) {
  if (!cfg.key_encryption_key) return std::optional<keys::KeyEncryptionKey>();
  const std::string where =
      "tokens.key_encryption_key (" + cfg.key_encryption_key->describe() + ")";
  Result<std::string> secret = cfg.key_encryption_key->resolve();
  if (!secret) return make_error(Errc::kInvalidConfig, where + ": " + secret.error().message);
  Result<keys::KeyEncryptionKey> kek = keys::KeyEncryptionKey::from_secret(*secret);
  OPENSSL_cleanse(secret->data(), secret->size());
  if (!kek) return make_error(Errc::kInvalidConfig, where + ": " + kek.error().message);
  return std::optional<keys::KeyEncryptionKey>(std::move(*kek));
}

Result<jose::Algorithm> token_key_algorithm(const config::TokensConfig& cfg) {
  const std::optional<jose::Algorithm> alg = jose::algorithm_from_name(cfg.algorithm);
  if (!alg || !keys::is_key_ring_algorithm(*alg)) {
    return make_error(Errc::kInvalidConfig, "tokens.algorithm must be ES256 or EdDSA");
  }
  return *alg;
}

Duration token_key_publication(const config::TokensConfig& cfg) {
  return cfg.max_ttl + std::chrono::duration_cast<Duration>(jose::kMaxLeeway);
}

Result<keys::KeyRingOptions> token_key_ring_options(const config::TokensConfig& cfg,
                                                    std::optional<keys::KeyEncryptionKey> kek) {
  Result<jose::Algorithm> alg = token_key_algorithm(cfg);
  if (!alg) return alg.error();
  keys::KeyRingOptions o;
  o.purpose = std::string(keys::kTokenKeyPurpose);
  o.algorithm = *alg;
  o.kek = std::move(kek);
  o.publish_retired_for = token_key_publication(cfg);
  return o;
}

}  // namespace sg::app
