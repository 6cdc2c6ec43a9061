// Errc is the closed set of expected failures in stackgate.
//
// Every layer reports an expected failure (bad input, bad token, denied, missing, unavailable) as
// one of these codes inside a Result; http/error_status.cpp is the only place that turns a code
// into an HTTP status, and code_name() gives the stable snake_case name clients see in
// {"error":{"code":…}}. Add codes at the end of a group; never reuse a name for a new meaning.
// Plain value type; thread-safe.
#pragma once

#include <string_view>

namespace sg {

enum class Errc {
  // Input from callers.
  kInvalidArgument,   // a request or parameter is malformed
  kMalformedRequest,  // HTTP that cannot be parsed
  kNotFound,
  kMethodNotAllowed,
  kPayloadTooLarge,
  kHeadersTooLarge,
  kUnsupportedMediaType,
  kUnsupportedGrantType,  // OAuth: a grant_type the token endpoint does not serve
  kInvalidScope,          // OAuth: a scope that is malformed or more than the caller holds
  kInvalidTarget,         // OAuth (RFC 8693): an audience the gateway does not issue tokens for
  // Identity.
  kUnauthenticated,  // no credentials presented
  kMalformedToken,
  kBadSignature,
  kExpired,
  kNotYetValid,
  kWrongIssuer,
  kWrongAudience,
  kUnknownKey,
  kDisallowedAlgorithm,
  kRevoked,  // a stackgate token revoked before its expiry
  // Authorization and state.
  kForbidden,
  kConflict,
  kApprovalRequired,
  kTooManyRequests,  // the caller must wait for an operation already running
  // Configuration and files.
  kInvalidConfig,
  kIo,
  // Dependencies.
  kStoreUnavailable,
  kStoreTooNew,  // the database was written by a newer stackgate
  kIssuerUnavailable,
  kUnavailable,  // shutting down, overloaded, or a dependency is down
  kTimeout,
  // Broken invariants; never shown to callers in detail.
  kInternal,
};

// The stable wire name of a code, e.g. "not_found".
std::string_view code_name(Errc code);

}  // namespace sg
