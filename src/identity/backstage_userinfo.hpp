// BackstageUserinfo reads a user's ownership entity refs from the Backstage auth backend, for user
// tokens that carry no `ent` claim: `GET <issuer>/v1/userinfo` with `Authorization: Bearer <the
// same token>`, answered by `{"claims":{"sub":…,"ent":[…]}}`.
//
// The answer's `sub` must equal the token's. Answers are cached by SHA-256 of the token until the
// token expires (bounded; least recently used evicted). Any failure — network, non-200, a body that
// is not that JSON, another sub — is kIssuerUnavailable: ownership is never guessed. The token goes
// only into the request header, never into messages or logs. Owned by a BackstageIssuer.
// Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "identity/expiring_lru.hpp"
#include "identity/fetcher.hpp"

namespace sg::identity {

class BackstageUserinfo {
 public:
  BackstageUserinfo(std::string url, Fetcher& fetcher, FetchOptions options,
                    std::size_t capacity = 10000);

  // The ownership refs of the user `sub` whose verified token is `token`, valid until `expires`.
  // Errors: kIssuerUnavailable.
  Result<std::vector<std::string>> ownership(std::string_view token, const std::string& sub,
                                             Time expires, Time now);

 private:
  Result<std::vector<std::string>> fetch(std::string_view token, const std::string& sub) const;

  const std::string url_;
  Fetcher& fetcher_;
  const FetchOptions options_;
  ExpiringLru<std::vector<std::string>> cache_;
};

}  // namespace sg::identity
