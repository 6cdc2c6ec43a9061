#include "keys/key_ring.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <openssl/crypto.h>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "common/ids.hpp"
#include "keys/stored_key.hpp"

namespace sg::keys {

struct KeyRing::Snapshot {
  std::vector<StoredKey> keys;              // newest first; private_pem cleared
  std::optional<jose::SigningKey> current;  // set once the snapshot is complete
  std::size_t unsealed = 0;
};

namespace {

std::string binding_of(std::string_view purpose, std::string_view kid, std::string_view alg) {
  return std::string(purpose) + "/" + std::string(kid) + "/" + std::string(alg);
}

// Wipes a string that held private key material.
void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

// Whether the i-th key (newest first) is published at `now`.
bool published(const std::vector<StoredKey>& keys, std::size_t i, Duration retired_for, Time now) {
  if (i == 0 || retired_for == Duration::max()) return true;
  const Time replaced_at = keys[i - 1].created_at;
  return std::chrono::duration_cast<Duration>(now - replaced_at) < retired_for;
}

}  // namespace

KeyRing::KeyRing(store::Store& store, KeyRingOptions options)
    : store_(store), options_(std::move(options)) {}

KeyRing::~KeyRing() = default;

std::shared_ptr<const KeyRing::Snapshot> KeyRing::snapshot() const {
  std::shared_lock lock(mu_);
  if (!snapshot_) throw std::logic_error("KeyRing used before load() succeeded");
  return snapshot_;
}

Status KeyRing::load(Time now) {
  std::lock_guard update(update_mu_);
  return reload(now, true);
}

Status KeyRing::refresh(Time now) {
  std::lock_guard update(update_mu_);
  return reload(now, true);
}

Result<std::string> KeyRing::insert_new_key(Time now) {
  if (!is_key_ring_algorithm(options_.algorithm)) {
    return make_error(Errc::kInvalidConfig, "signing keys use ES256 or EdDSA");
  }
  const std::string alg(jose::algorithm_name(options_.algorithm));
  Result<jose::SigningKey> key = jose::SigningKey::generate(
      options_.algorithm, options_.purpose + "-" + new_id().substr(0, 16));
  if (!key) return key.error();
  Result<boost::json::object> jwk = key->public_jwk();
  if (!jwk) return jwk.error();
  Result<std::string> pem = key->export_pem();
  if (!pem) return pem.error();
  std::string stored;
  if (options_.kek) {
    Result<std::string> sealed =
        options_.kek->seal(*pem, binding_of(options_.purpose, key->kid(), alg));
    wipe(*pem);
    if (!sealed) return sealed.error();
    stored = std::move(*sealed);
  } else {
    stored = std::move(*pem);
  }
  store::SigningKeyRecord record{
      key->kid(),        options_.purpose,    alg,
      std::move(stored), format_rfc3339(now), boost::json::serialize(*jwk)};
  Status added = store_.add_signing_key(record);
  wipe(record.private_pem);
  if (!added) return added.error();
  return key->kid();
}

Status KeyRing::reload(Time now, bool create) {
  Result<std::vector<StoredKey>> keys = read_stored_keys(store_, options_.purpose);
  if (!keys) return keys.error();
  if (keys->empty()) {
    if (!create) return make_error(Errc::kInternal, "no " + options_.purpose + " signing key");
    Result<std::string> kid = insert_new_key(now);
    if (!kid) return kid.error();
    // Another process may have stored its own key meanwhile: the newest one is the current key.
    keys = read_stored_keys(store_, options_.purpose);
    if (!keys) return keys.error();
    if (keys->empty())
      return make_error(Errc::kInternal, options_.purpose + " signing key vanished");
  }

  auto next = std::make_shared<Snapshot>();
  StoredKey& newest = keys->front();
  std::shared_ptr<const Snapshot> previous;
  {
    std::shared_lock lock(mu_);
    previous = snapshot_;
  }
  if (previous && previous->current->kid() == newest.record.kid) {
    next->current = previous->current;
  } else {
    std::string pem;
    if (newest.sealed) {
      if (!options_.kek) {
        return make_error(Errc::kInvalidConfig,
                          "the " + options_.purpose +
                              " signing keys are encrypted, but no key-encryption key is "
                              "configured (tokens.key_encryption_key)");
      }
      Result<std::string> opened = options_.kek->open(
          newest.record.private_pem,
          binding_of(options_.purpose, newest.record.kid, newest.record.algorithm));
      if (!opened) {
        if (opened.code() == Errc::kInvalidConfig) return opened.error();
        return make_error(Errc::kInternal, "signing key " + newest.record.kid + " (" +
                                               options_.purpose +
                                               ") cannot be read: " + opened.error().message);
      }
      pem = std::move(*opened);
    } else {
      pem = newest.record.private_pem;
    }
    Result<jose::SigningKey> key =
        jose::SigningKey::import_pem(pem, newest.algorithm, newest.record.kid);
    wipe(pem);
    if (!key) {
      return make_error(Errc::kInternal, "signing key " + newest.record.kid + " (" +
                                             options_.purpose + ") cannot be read");
    }
    // The private half must belong to the published public half.
    Result<boost::json::object> derived = key->public_jwk();
    if (!derived || *derived != newest.public_jwk) {
      return make_error(Errc::kInternal, "signing key " + newest.record.kid + " (" +
                                             options_.purpose +
                                             "): its private and public halves do not match");
    }
    next->current = std::move(*key);
  }
  for (StoredKey& k : *keys) {
    if (options_.kek && !k.sealed) ++next->unsealed;
    wipe(k.record.private_pem);
  }
  next->keys = std::move(*keys);
  std::unique_lock lock(mu_);
  snapshot_ = std::move(next);
  return {};
}

jose::SigningKey KeyRing::current() const {
  return *snapshot()->current;
}

Result<std::string> KeyRing::rotate(Time now) {
  std::lock_guard update(update_mu_);
  // The new key must sort after the current one even when this clock is behind the clock that
  // made it (or made it within the same millisecond).
  Time created = now;
  {
    std::shared_lock lock(mu_);
    if (snapshot_ && !snapshot_->keys.empty() && snapshot_->keys.front().created_at >= created) {
      created = snapshot_->keys.front().created_at + std::chrono::milliseconds(1);
    }
  }
  Result<std::string> kid = insert_new_key(created);
  if (!kid) return kid.error();
  if (Status s = reload(now, false); !s) return s.error();
  return kid;
}

Result<bool> KeyRing::rotate_if_older_than(Duration every, Time now) {
  {
    std::lock_guard update(update_mu_);
    if (Status s = reload(now, true); !s) return s.error();
    if (now - current_created_at() < every) return false;
  }
  Result<std::string> kid = rotate(now);
  if (!kid) return kid.error();
  return true;
}

Time KeyRing::current_created_at() const {
  return snapshot()->keys.front().created_at;
}

jose::KeySet KeyRing::verification_keys(Time now) const {
  const std::shared_ptr<const Snapshot> s = snapshot();
  jose::KeySet set;
  for (std::size_t i = 0; i < s->keys.size(); ++i) {
    if (!published(s->keys, i, options_.publish_retired_for, now)) continue;
    // Kids are unique in the store, so add() cannot refuse.
    (void)set.add(s->keys[i].verification_key);
  }
  return set;
}

boost::json::object KeyRing::public_jwks(Time now) const {
  const std::shared_ptr<const Snapshot> s = snapshot();
  boost::json::array keys;
  for (std::size_t i = 0; i < s->keys.size(); ++i) {
    if (published(s->keys, i, options_.publish_retired_for, now))
      keys.push_back(s->keys[i].public_jwk);
  }
  return boost::json::object{{"keys", std::move(keys)}};
}

std::size_t KeyRing::published_keys(Time now) const {
  const std::shared_ptr<const Snapshot> s = snapshot();
  std::size_t n = 0;
  for (std::size_t i = 0; i < s->keys.size(); ++i) {
    if (published(s->keys, i, options_.publish_retired_for, now)) ++n;
  }
  return n;
}

bool KeyRing::sealed() const {
  return options_.kek.has_value();
}

std::size_t KeyRing::unsealed_keys() const {
  return snapshot()->unsealed;
}

}  // namespace sg::keys
