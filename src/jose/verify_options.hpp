// VerifyOptions is what one trusted issuer's tokens must satisfy (jose-rules.md steps 3, 4 and 7).
//
// Built by the identity layer from an issuer's configuration; the JOSE layer only reads it.
// Optional members are checks the caller chose not to make (Backstage limited-user tokens have no
// `iss`, for instance) — an engaged member is always enforced. Plain value type; not synchronised.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "jose/algorithm.hpp"

namespace sg::jose {

inline constexpr std::chrono::seconds kDefaultLeeway{30};
inline constexpr std::chrono::seconds kMaxLeeway{300};

struct VerifyOptions {
  // The issuer's algorithm allow-list; must not be empty.
  std::vector<Algorithm> algorithms;
  // When set, `iss` must be present and equal byte for byte.
  std::optional<std::string> issuer;
  // When set (non-empty), `aud` must be present and contain one of these exactly.
  std::optional<std::vector<std::string>> audiences;
  // When set, `typ` must be present and match one of these case-insensitively, a value without '/'
  // meaning "application/<value>" on both sides ("JWT", "at+jwt", "vnd.backstage.user").
  std::optional<std::vector<std::string>> types;
  // Allowed clock skew for exp, nbf and iat; 0 to kMaxLeeway.
  std::chrono::seconds leeway = kDefaultLeeway;
  // Whether a token without `exp` is refused. Keep true unless an issuer truly has none.
  bool require_exp = true;
};

}  // namespace sg::jose
