#include "http/error_status.hpp"

#include "common/json_text.hpp"

namespace sg::http {

int status_of(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
    case Errc::kMalformedRequest:
    case Errc::kInvalidConfig:
    case Errc::kUnsupportedGrantType:
    case Errc::kInvalidScope:
    case Errc::kInvalidTarget:
      return 400;
    case Errc::kUnauthenticated:
    case Errc::kMalformedToken:
    case Errc::kBadSignature:
    case Errc::kExpired:
    case Errc::kNotYetValid:
    case Errc::kWrongIssuer:
    case Errc::kWrongAudience:
    case Errc::kUnknownKey:
    case Errc::kDisallowedAlgorithm:
    case Errc::kRevoked:
      return 401;
    case Errc::kForbidden:
    case Errc::kApprovalRequired:
      return 403;
    case Errc::kNotFound:
      return 404;
    case Errc::kMethodNotAllowed:
      return 405;
    case Errc::kConflict:
      return 409;
    case Errc::kPayloadTooLarge:
      return 413;
    case Errc::kUnsupportedMediaType:
      return 415;
    case Errc::kTooManyRequests:
      return 429;
    case Errc::kHeadersTooLarge:
      return 431;
    case Errc::kStoreUnavailable:
    case Errc::kIssuerUnavailable:
    case Errc::kUnavailable:
      return 503;
    case Errc::kTimeout:
      return 504;
    case Errc::kStoreTooNew:
    case Errc::kIo:
    case Errc::kInternal:
      return 500;
  }
  return 500;
}

namespace {

// RFC 6750 §3: the challenge for a missing token names only the realm; for a token that failed a
// check, error="invalid_token" and a description in plain words (quoted-string safe, bounded).
std::string bearer_challenge(const Error& error) {
  std::string out = "Bearer realm=\"stackgate\"";
  if (error.code == Errc::kUnauthenticated) return out;
  out += ", error=\"invalid_token\", error_description=\"";
  std::size_t n = 0;
  for (char c : error.message) {
    if (++n > 200) break;
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\') {
      out.push_back(' ');  // keep the header one safe line whatever the message holds
    } else {
      out.push_back(c);
    }
  }
  out += "\"";
  return out;
}

}  // namespace

Response error_response(const Error& error) {
  int status = status_of(error.code);
  // A 500 never shows what went wrong inside; the log has it under the request id.
  std::string_view message = status == 500 ? "internal error" : std::string_view(error.message);
  std::string body = "{\"error\":{\"code\":";
  append_json_string(body, status == 500 ? code_name(Errc::kInternal) : code_name(error.code));
  body += ",\"message\":";
  append_json_string(body, message);
  body += "}}";
  Response r = Response::json(status, std::move(body));
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", bearer_challenge(error));
  return r;
}

std::string_view oauth_code(Errc code) {
  switch (code) {
    case Errc::kInvalidScope:
      return "invalid_scope";
    case Errc::kInvalidTarget:
      return "invalid_target";
    case Errc::kUnsupportedGrantType:
      return "unsupported_grant_type";
    default:
      break;
  }
  switch (status_of(code)) {
    case 401:
      return "invalid_token";
    case 403:
      return "insufficient_scope";
    case 503:
    case 504:
      return "temporarily_unavailable";
    case 500:
      return "server_error";
    default:
      return "invalid_request";
  }
}

Response oauth_error_response(const Error& error) {
  const int status = status_of(error.code);
  std::string body = "{\"error\":";
  append_json_string(body, oauth_code(error.code));
  body += ",\"error_description\":";
  append_json_string(
      body, status == 500 ? std::string_view("internal error") : std::string_view(error.message));
  body += "}";
  Response r = Response::json(status, std::move(body));
  r.headers.emplace_back("Pragma", "no-cache");  // Cache-Control: no-store is the session's default
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", bearer_challenge(error));
  return r;
}

}  // namespace sg::http
