#include "audit/checkpoint_keys.hpp"

#include <string>

#include <boost/json/array.hpp>

#include "audit/checkpoint.hpp"
#include "common/ids.hpp"

namespace sg::audit {
namespace {

Result<jose::SigningKey> import(const store::SigningKeyRecord& record) {
  const std::optional<jose::Algorithm> alg = jose::algorithm_from_name(record.algorithm);
  if (!alg || !is_checkpoint_algorithm(*alg)) {
    return make_error(Errc::kInternal,
                      "audit signing key " + record.kid + " has an unusable algorithm");
  }
  Result<jose::SigningKey> key = jose::SigningKey::import_pem(record.private_pem, *alg, record.kid);
  if (!key) {
    return make_error(Errc::kInternal, "audit signing key " + record.kid + " cannot be read");
  }
  return key;
}

}  // namespace

Result<jose::SigningKey> load_or_create_checkpoint_key(store::Store& store, jose::Algorithm alg,
                                                       Time now) {
  if (!is_checkpoint_algorithm(alg)) {
    return make_error(Errc::kInvalidArgument, "audit checkpoints are signed with ES256 or EdDSA");
  }
  Result<std::vector<store::SigningKeyRecord>> stored = store.signing_keys(kCheckpointKeyPurpose);
  if (!stored) return stored.error();
  if (!stored->empty()) return import(stored->front());

  Result<jose::SigningKey> key = jose::SigningKey::generate(alg, "audit-" + new_id().substr(0, 16));
  if (!key) return key.error();
  Result<std::string> pem = key->export_pem();
  if (!pem) return pem.error();
  const store::SigningKeyRecord record{key->kid(),
                                       std::string(kCheckpointKeyPurpose),
                                       std::string(jose::algorithm_name(alg)),
                                       std::move(*pem),
                                       format_rfc3339(now),
                                       std::string()};
  if (Status added = store.add_signing_key(record); !added) return added.error();
  // Another process may have stored its own key meanwhile: the newest one is the current key.
  Result<std::vector<store::SigningKeyRecord>> again = store.signing_keys(kCheckpointKeyPurpose);
  if (!again) return again.error();
  if (again->empty()) return make_error(Errc::kInternal, "audit signing key vanished");
  return import(again->front());
}

Result<jose::KeySet> checkpoint_verification_keys(store::Store& store) {
  Result<std::vector<store::SigningKeyRecord>> stored = store.signing_keys(kCheckpointKeyPurpose);
  if (!stored) return stored.error();
  jose::KeySet keys;
  for (const store::SigningKeyRecord& record : *stored) {
    Result<jose::SigningKey> key = import(record);
    if (!key) return key.error();
    Result<jose::Jwk> jwk = key->verification_key();
    if (!jwk) return jwk.error();
    if (Status added = keys.add(std::move(*jwk)); !added) return added.error();
  }
  return keys;
}

Result<boost::json::object> checkpoint_public_jwks(store::Store& store) {
  Result<std::vector<store::SigningKeyRecord>> stored = store.signing_keys(kCheckpointKeyPurpose);
  if (!stored) return stored.error();
  boost::json::array keys;
  for (const store::SigningKeyRecord& record : *stored) {
    Result<jose::SigningKey> key = import(record);
    if (!key) return key.error();
    Result<boost::json::object> jwk = key->public_jwk();
    if (!jwk) return jwk.error();
    keys.push_back(std::move(*jwk));
  }
  return boost::json::object{{"keys", std::move(keys)}};
}

}  // namespace sg::audit
