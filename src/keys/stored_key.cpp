#include "keys/stored_key.hpp"

#include <boost/json/serialize.hpp>

#include "jose/json_reader.hpp"
#include "jose/signing_key.hpp"
#include "keys/key_encryption_key.hpp"

namespace sg::keys {
namespace {

Error unreadable(const store::SigningKeyRecord& row, std::string_view why) {
  return make_error(Errc::kInternal, "signing key " + row.kid + " (" + row.purpose +
                                         ") cannot be read: " + std::string(why));
}

Result<StoredKey> read_row(store::SigningKeyRecord row) {
  const std::optional<jose::Algorithm> alg = jose::algorithm_from_name(row.algorithm);
  if (!alg || !is_key_ring_algorithm(*alg)) return unreadable(row, "unusable algorithm");
  Result<Time> created = parse_rfc3339(row.created_at);
  if (!created) return unreadable(row, "bad created_at");
  const bool sealed = is_sealed(row.private_pem);

  boost::json::object jwk;
  if (!row.public_jwk.empty()) {
    Result<boost::json::object> parsed = jose::parse_strict_object(
        row.public_jwk, jose::JsonLimits{4096, 4}, "public JWK", Errc::kInvalidArgument);
    if (!parsed) return unreadable(row, "its public JWK is not valid JSON");
    jwk = std::move(*parsed);
  } else if (sealed) {
    return unreadable(row, "a sealed key without its public JWK");
  } else {
    Result<jose::SigningKey> key = jose::SigningKey::import_pem(row.private_pem, *alg, row.kid);
    if (!key) return unreadable(row, "its PEM is not a key for " + row.algorithm);
    Result<boost::json::object> derived = key->public_jwk();
    if (!derived) return unreadable(row, "no public JWK");
    jwk = std::move(*derived);
  }
  const boost::json::value* kid = jwk.if_contains("kid");
  if (kid == nullptr || !kid->is_string() || kid->as_string() != row.kid) {
    return unreadable(row, "its public JWK names another kid");
  }
  Result<jose::Jwk> verification = jose::Jwk::parse_public(jwk);
  if (!verification) return unreadable(row, verification.error().message);
  if (!verification->check_usable_for(*alg)) {
    return unreadable(row, "its public JWK does not fit " + row.algorithm);
  }
  return StoredKey{std::move(row), *alg,           *created,
                   sealed,         std::move(jwk), std::move(*verification)};
}

}  // namespace

bool is_key_ring_algorithm(jose::Algorithm alg) {
  return alg == jose::Algorithm::kES256 || alg == jose::Algorithm::kEdDSA;
}

Result<std::vector<StoredKey>> read_stored_keys(store::Store& store, std::string_view purpose) {
  Result<std::vector<store::SigningKeyRecord>> rows = store.signing_keys(purpose);
  if (!rows) return rows.error();
  std::vector<StoredKey> out;
  out.reserve(rows->size());
  for (store::SigningKeyRecord& row : *rows) {
    Result<StoredKey> key = read_row(std::move(row));
    if (!key) return key.error();
    out.push_back(std::move(*key));
  }
  return out;
}

}  // namespace sg::keys
