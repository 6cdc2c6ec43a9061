#include "common/errc.hpp"

namespace sg {

std::string_view code_name(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
      return "invalid_argument";
    case Errc::kMalformedRequest:
      return "malformed_request";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kMethodNotAllowed:
      return "method_not_allowed";
    case Errc::kPayloadTooLarge:
      return "payload_too_large";
    case Errc::kHeadersTooLarge:
      return "headers_too_large";
    case Errc::kUnsupportedMediaType:
      return "unsupported_media_type";
    case Errc::kUnsupportedGrantType:
      return "unsupported_grant_type";
    case Errc::kInvalidScope:
      return "invalid_scope";
    case Errc::kInvalidTarget:
      return "invalid_target";
    case Errc::kUnauthenticated:
      return "unauthenticated";
    case Errc::kMalformedToken:
      return "malformed_token";
    case Errc::kBadSignature:
      return "bad_signature";
    case Errc::kExpired:
      return "expired";
    case Errc::kNotYetValid:
      return "not_yet_valid";
    case Errc::kWrongIssuer:
      return "wrong_issuer";
    case Errc::kWrongAudience:
      return "wrong_audience";
    case Errc::kUnknownKey:
      return "unknown_key";
    case Errc::kDisallowedAlgorithm:
      return "disallowed_algorithm";
    case Errc::kRevoked:
      return "revoked";
    case Errc::kForbidden:
      return "forbidden";
    case Errc::kConflict:
      return "conflict";
    case Errc::kApprovalRequired:
      return "approval_required";
    case Errc::kTooManyRequests:
      return "too_many_requests";
    case Errc::kInvalidConfig:
      return "invalid_config";
    case Errc::kIo:
      return "io_error";
    case Errc::kStoreUnavailable:
      return "store_unavailable";
    case Errc::kStoreTooNew:
      return "store_too_new";
    case Errc::kIssuerUnavailable:
      return "issuer_unavailable";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kTimeout:
      return "timeout";
    case Errc::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace sg
