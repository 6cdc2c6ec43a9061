#include "audit/checkpoint_keys.hpp"

#include <string>
#include <utility>

#include <boost/json/array.hpp>

#include "audit/checkpoint.hpp"
#include "keys/stored_key.hpp"

namespace sg::audit {

keys::KeyRingOptions checkpoint_key_ring_options(jose::Algorithm alg,
                                                 std::optional<keys::KeyEncryptionKey> kek) {
  keys::KeyRingOptions o;
  o.purpose = std::string(kCheckpointKeyPurpose);
  o.algorithm = alg;
  o.kek = std::move(kek);
  o.publish_retired_for = Duration::max();
  return o;
}

Result<jose::SigningKey> load_or_create_checkpoint_key(store::Store& store, jose::Algorithm alg,
                                                       Time now,
                                                       std::optional<keys::KeyEncryptionKey> kek) {
  if (!is_checkpoint_algorithm(alg)) {
    return make_error(Errc::kInvalidArgument, "audit checkpoints are signed with ES256 or EdDSA");
  }
  keys::KeyRing ring(store, checkpoint_key_ring_options(alg, std::move(kek)));
  if (Status loaded = ring.load(now); !loaded) return loaded.error();
  return ring.current();
}

Result<jose::KeySet> checkpoint_verification_keys(store::Store& store) {
  Result<std::vector<keys::StoredKey>> stored =
      keys::read_stored_keys(store, kCheckpointKeyPurpose);
  if (!stored) return stored.error();
  jose::KeySet set;
  for (const keys::StoredKey& key : *stored) {
    if (Status added = set.add(key.verification_key); !added) return added.error();
  }
  return set;
}

Result<boost::json::object> checkpoint_public_jwks(store::Store& store) {
  Result<std::vector<keys::StoredKey>> stored =
      keys::read_stored_keys(store, kCheckpointKeyPurpose);
  if (!stored) return stored.error();
  boost::json::array keys;
  for (const keys::StoredKey& key : *stored)
    keys.push_back(key.public_jwk);
  return boost::json::object{{"keys", std::move(keys)}};
}

}  // namespace sg::audit
