#include "audit/checkpoint.hpp"

#include <chrono>

#include <boost/json/object.hpp>

#include "audit/canonical_json.hpp"
#include "audit/sha256.hpp"
#include "jose/json_reader.hpp"
#include "jose/sign.hpp"
#include "jose/verify.hpp"

namespace sg::audit {
namespace {

namespace bj = boost::json;

Error malformed(std::string_view what) {
  return make_error(Errc::kMalformedToken, "checkpoint payload: " + std::string(what));
}

Result<Checkpoint> read_payload(std::string_view payload) {
  Result<bj::object> json = jose::parse_strict_object(payload, {1024, 2}, "checkpoint payload");
  if (!json) return json.error();
  const bj::object& o = *json;
  if (o.size() != 3) return malformed("must have exactly the members hash, seq and time");
  const bj::value* seq = o.if_contains("seq");
  const bj::value* hash = o.if_contains("hash");
  const bj::value* time = o.if_contains("time");
  if (seq == nullptr || hash == nullptr || time == nullptr) {
    return malformed("must have exactly the members hash, seq and time");
  }
  if (!seq->is_int64() || seq->get_int64() < 1 || seq->get_int64() > kMaxSafeInteger) {
    return malformed("seq must be an integer from 1 to 2^53 - 1");
  }
  if (!hash->is_string() || !is_sha256_hex(hash->get_string())) {
    return malformed("hash must be 64 lower-case hex digits");
  }
  if (!time->is_string()) return malformed("time must be a string");
  Result<Time> t = parse_rfc3339(time->get_string());
  if (!t || format_rfc3339(*t) != time->get_string()) {
    return malformed("time must be RFC 3339 in UTC with milliseconds");
  }
  return Checkpoint{seq->get_int64(), std::string(hash->get_string()), *t};
}

}  // namespace

bool is_checkpoint_algorithm(jose::Algorithm alg) {
  return alg == jose::Algorithm::kES256 || alg == jose::Algorithm::kEdDSA;
}

Checkpoint make_checkpoint(const ChainHead& head, Time now) {
  return Checkpoint{head.seq, head.hash, std::chrono::floor<std::chrono::milliseconds>(now)};
}

Result<SignedCheckpoint> sign_checkpoint(const Checkpoint& checkpoint,
                                         const jose::SigningKey& key) {
  if (!is_checkpoint_algorithm(key.algorithm())) {
    return make_error(Errc::kInvalidArgument,
                      "checkpoint: keys for " + std::string(jose::algorithm_name(key.algorithm())) +
                          " cannot sign checkpoints (ES256 or EdDSA only)");
  }
  if (key.kid().empty())
    return make_error(Errc::kInvalidArgument, "checkpoint: the key has no kid");
  if (checkpoint.seq < 1 || checkpoint.seq > kMaxSafeInteger || !is_sha256_hex(checkpoint.hash)) {
    return make_error(Errc::kInvalidArgument, "checkpoint: not a head of a non-empty chain");
  }
  const Time time = std::chrono::floor<std::chrono::milliseconds>(checkpoint.time);
  const bj::object payload{
      {"seq", checkpoint.seq}, {"hash", checkpoint.hash}, {"time", format_rfc3339(time)}};
  Result<std::string> text = canonical_json(payload);
  if (!text) return make_error(Errc::kInternal, "checkpoint: " + text.error().message);
  Result<std::string> jws = jose::sign_jws({{"typ", kCheckpointType}}, *text, key);
  if (!jws) return jws.error();
  return SignedCheckpoint{Checkpoint{checkpoint.seq, checkpoint.hash, time}, key.kid(),
                          std::move(*jws)};
}

Result<Checkpoint> verify_checkpoint(std::string_view jws, const jose::KeySet& keys) {
  jose::VerifyOptions options;
  options.algorithms = {jose::Algorithm::kES256, jose::Algorithm::kEdDSA};
  options.types = std::vector<std::string>{std::string(kCheckpointType)};
  Result<jose::VerifiedJws> verified = jose::verify_jws_signature(jws, keys, options);
  if (!verified) return verified.error();
  return read_payload(jose::as_chars(verified->payload));
}

}  // namespace sg::audit
