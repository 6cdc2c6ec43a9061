#include "jose/inspect.hpp"

#include "jose/base64url.hpp"
#include "jose/json_reader.hpp"
#include "jose/jws.hpp"

namespace sg::jose {

Result<UnverifiedToken> decode_unverified(std::string_view token) {
  auto parts = split_compact(token);
  if (!parts.ok()) return parts.error();
  auto header = base64url_decode(parts->header);
  if (!header.ok()) return make_error(Errc::kMalformedToken, "header: " + header.error().message);
  auto payload = base64url_decode(parts->payload);
  if (!payload.ok())
    return make_error(Errc::kMalformedToken, "payload: " + payload.error().message);
  auto signature = base64url_decode(parts->signature);
  if (!signature.ok()) {
    return make_error(Errc::kMalformedToken, "signature: " + signature.error().message);
  }
  auto header_json = parse_strict_object(as_chars(*header), JsonLimits{}, "header");
  if (!header_json.ok()) return header_json.error();

  UnverifiedToken out;
  out.unverified_header = std::move(header_json).value();
  if (auto claims = parse_strict_object(as_chars(*payload), JsonLimits{}, "payload"); claims.ok()) {
    out.unverified_claims = std::move(claims).value();
  }
  out.unverified_payload = std::move(payload).value();
  out.signature_bytes = signature->size();
  return out;
}

}  // namespace sg::jose
