#include "jose/verify.hpp"

#include <algorithm>

#include "jose/jws.hpp"
#include "jose/printable.hpp"
#include "jose/signature.hpp"

namespace sg::jose {
namespace {

Status check_algorithm(Algorithm alg, const VerifyOptions& opts) {
  if (std::find(opts.algorithms.begin(), opts.algorithms.end(), alg) == opts.algorithms.end()) {
    return make_error(Errc::kDisallowedAlgorithm, "alg " + std::string(algorithm_name(alg)) +
                                                      " is not allowed for this issuer");
  }
  return {};
}

Status check_type(const JoseHeader& h, const VerifyOptions& opts) {
  if (!opts.types) return {};
  if (!h.typ) return make_error(Errc::kMalformedToken, "header typ is missing");
  for (const std::string& want : *opts.types) {
    if (same_media_type(*h.typ, want)) return {};
  }
  return make_error(Errc::kMalformedToken,
                    "header typ \"" + detail::printable(*h.typ) + "\" is not accepted");
}

}  // namespace

Result<VerifiedJws> verify_jws_signature(std::string_view token, const KeySet& keys,
                                         const VerifyOptions& opts) {
  if (opts.algorithms.empty()) {
    return make_error(Errc::kInvalidArgument, "no algorithms are allowed for this issuer");
  }
  auto jws = parse_compact_jws(token);  // steps 1-3 except the allow-list
  if (!jws.ok()) return jws.error();
  const JoseHeader& h = jws->header;
  if (auto s = check_algorithm(h.alg, opts); !s.ok()) return s.error();
  if (auto s = check_type(h, opts); !s.ok()) return s.error();  // step 4
  auto key = keys.select(h.kid, h.alg);                         // step 5
  if (!key.ok()) return key.error();
  if (auto s = verify_signature(h.alg, **key, jws->parts.signing_input, jws->signature); !s.ok()) {
    return s.error();  // step 6
  }
  return VerifiedJws{std::move(jws->header), std::move(jws->payload)};
}

Result<VerifiedToken> verify_jws(std::string_view token, const KeySet& keys,
                                 const VerifyOptions& opts, Time now) {
  auto jws = verify_jws_signature(token, keys, opts);
  if (!jws.ok()) return jws.error();
  auto claims = validate_claims_json(as_chars(jws->payload), opts, now);  // step 7
  if (!claims.ok()) return claims.error();
  return VerifiedToken{std::move(jws->header), std::move(claims).value()};  // step 8
}

}  // namespace sg::jose
