#include "http/authenticate.hpp"

#include "http/bearer.hpp"

namespace sg::http {

Result<std::shared_ptr<const policy::Principal>> authenticate(const Request& request,
                                                              identity::Authenticator& auth,
                                                              Logger& log) {
  auto token = bearer_token(request);
  Result<std::shared_ptr<const policy::Principal>> principal =
      token ? auth.authenticate(*token)
            : Result<std::shared_ptr<const policy::Principal>>(token.error());
  if (!principal) {
    log.info("authentication failed", {{"request_id", request.request_id},
                                       {"reason", code_name(principal.code())},
                                       {"detail", principal.error().message}});
  }
  return principal;
}

}  // namespace sg::http
