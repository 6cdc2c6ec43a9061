// CredentialSet is what the credential providers of one run build together: the environment
// variables for the Pulumi child, the private files in the run's directory, and the run tokens
// minted on the way. CredentialPreparer owns one per prepare() call and hands it to each provider
// (runs/credential_providers.hpp) in turn.
//
// Every message it makes starts with the provider's name ("aws: …") and never holds a secret:
// files are named, never quoted. An environment variable set twice must have the same value both
// times (e.g. PULUMI_BACKEND_URL from pulumi.oidc_exchange and from backend), else it is an error.
// discard() removes the files written so far, after a failure. Owner: one prepare() call; not
// synchronised.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/result.hpp"
#include "runs/run_identity.hpp"
#include "tokens/minter.hpp"

namespace sg::runs {

class CredentialSet {
 public:
  CredentialSet(tokens::Minter& minter, const RunIdentity& run, std::filesystem::path run_dir,
                Time now, PreparedCredentials& out);

  const RunIdentity& run() const { return run_; }

  // Mints an ID-token-shaped run token (tokens/run_claims.hpp) for `audience`, lasting `ttl` (cut
  // to tokens.max_ttl by the minter), and records it in out.issued.
  Result<tokens::IssuedToken> mint(std::string_view provider, const std::string& audience,
                                   Duration ttl);

  // Writes a new private file `name` in the run's directory (runs/private_file.hpp); returns its
  // absolute path.
  Result<std::string> write(std::string_view provider, std::string_view name,
                            std::string_view content);

  // Adds NAME=value to the child's environment.
  Status set(std::string_view provider, std::string_view name, std::string value);

  // Removes every file write() created.
  void discard();

 private:
  tokens::Minter& minter_;
  const RunIdentity& run_;
  const std::filesystem::path run_dir_;
  const Time now_;
  PreparedCredentials& out_;
  std::vector<std::filesystem::path> written_;
};

}  // namespace sg::runs
