// PulumiTokenExchanger trades a run token for a Pulumi Cloud access token, through Pulumi Cloud's
// OIDC token exchange (RFC 8693): one form-encoded `POST {api}/api/oauth/token` with
//   grant_type=urn:ietf:params:oauth:grant-type:token-exchange
//   audience=urn:pulumi:org:<org>
//   subject_token_type=urn:ietf:params:oauth:token-type:id_token
//   subject_token=<the run token>
//   requested_token_type=urn:pulumi:token-type:access_token:<organization|team|personal>
//   scope=<team:NAME | user:LOGIN>   (left out for an organization token)
//   expiration=<seconds>
// answered by {access_token, issued_token_type, token_type, expires_in, scope}.
//
// The HTTP goes through the injected HttpPoster (CurlPoster in production), bounded by `timeout`;
// the answer by the poster's body bound (64 KiB): a longer one is refused, not parsed in part.
// Errors, never with a token in them:
// - kUnavailable: Pulumi Cloud unreachable, answering 3xx, 429 or 5xx, or a 2xx whose body is
//   too large, not a JSON object, without a usable access_token, or of another token type;
// - kForbidden: any other 4xx — Pulumi Cloud refused the exchange (no authorization policy of
//   the registered issuer matched, an unknown org or team…).
// A refusal quotes Pulumi Cloud's `error`, `error_description` and `message` when the body is
// JSON, as plain text: control characters become spaces, anything that looks like a token (a word
// of 40 or more token characters, or one starting with "pul-") becomes "[redacted]", and the
// whole is cut to kMaxDetailBytes. Owner: runs (the app is to build one). Thread-safe when the
// poster is.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/http_poster.hpp"
#include "common/result.hpp"

namespace sg::runs {

inline constexpr std::string_view kPulumiTokenTypePrefix = "urn:pulumi:token-type:access_token:";

struct PulumiExchangeRequest {
  std::string api;         // e.g. "https://api.pulumi.com" (a trailing '/' is ignored)
  std::string org;         // audience urn:pulumi:org:<org>
  std::string token_type;  // organization | team | personal
  std::string scope;       // "team:<name>", "user:<login>", or empty
  std::chrono::seconds expiration{0};
  std::string subject_token;  // the run token: a secret
};

struct PulumiAccessToken {
  std::string access_token;       // a secret: only ever put in the child's environment
  std::string issued_token_type;  // as Pulumi Cloud answered it
  std::int64_t expires_in = 0;    // seconds; 0 when Pulumi Cloud did not say
  std::string scope;
};

// `api` without its trailing '/'s: the URL the exchange is posted under and PULUMI_BACKEND_URL.
std::string pulumi_api_url(std::string_view api);

class PulumiTokenExchanger {
 public:
  static constexpr std::chrono::milliseconds kDefaultTimeout{20'000};
  static constexpr std::size_t kMaxDetailBytes = 300;
  static constexpr std::size_t kMaxAccessTokenBytes = 4096;

  explicit PulumiTokenExchanger(audit::HttpPoster& poster,
                                std::chrono::milliseconds timeout = kDefaultTimeout);

  Result<PulumiAccessToken> exchange(const PulumiExchangeRequest& request);

 private:
  audit::HttpPoster& poster_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace sg::runs
