// The configuration of the gateway's key rings (keys/key_ring.hpp), shared by `serve` and the
// `keys` commands: configured_kek() turns `tokens.key_encryption_key` into the KeyEncryptionKey
// that seals signing keys at rest, and token_key_ring_options() gives the ring of token keys.
//
// Errors name the secret reference (env:NAME or file:PATH) and say how to make a valid one; they
// never contain the value. Thread-safe (reads the environment or a file).
#pragma once

#include <optional>

#include "common/result.hpp"
#include "config/config.hpp"
#include "jose/algorithm.hpp"
#include "keys/key_encryption_key.hpp"
#include "keys/key_ring.hpp"

namespace sg::app {

// Nothing when no key-encryption key is configured. Errors: kInvalidConfig.
Result<std::optional<keys::KeyEncryptionKey>> configured_kek(const config::TokensConfig& cfg);

// The algorithm of new token keys (`tokens.algorithm`). Errors: kInvalidConfig.
Result<jose::Algorithm> token_key_algorithm(const config::TokensConfig& cfg);

// How long a replaced token key stays published: the longest token lifetime plus the largest
// verification leeway, so every token it signed has expired by then.
Duration token_key_publication(const config::TokensConfig& cfg);

// The ring of token keys: purpose "tokens", tokens.algorithm, `kek`, token_key_publication().
// Errors: kInvalidConfig (the algorithm).
Result<keys::KeyRingOptions> token_key_ring_options(const config::TokensConfig& cfg,
                                                    std::optional<keys::KeyEncryptionKey> kek);

}  // namespace sg::app
