// RevokedToken is one entry of the store's list of revoked gateway-issued tokens (RFC 7009), kept
// until the token would have expired anyway. Plain value type; not synchronised.
#pragma once

#include <cstdint>
#include <string>

namespace sg::store {

struct RevokedToken {
  std::string jti;              // the token's `jti`
  std::int64_t expires_at = 0;  // the token's `exp`, unix seconds: the entry is kept until then
  std::string revoked_at;       // RFC 3339 UTC with milliseconds

  friend bool operator==(const RevokedToken&, const RevokedToken&) = default;
};

}  // namespace sg::store
