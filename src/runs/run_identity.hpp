// RunIdentity names one Pulumi run for the credential providers: which stack, which operation, and
// who asked for it; PreparedCredentials is what the providers produced for it.
//
// The run service fills a RunIdentity when it starts a run (its org, project and stack come from
// configuration, [A-Za-z0-9._-]; the operation is preview, up, refresh or destroy; the requester is
// the verified principal the run was authorised for, with its acting agents). Owner: runs. Plain
// value types; not synchronised.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "policy/principal.hpp"
#include "tokens/minter.hpp"

namespace sg::runs {

struct RunIdentity {
  std::string run_id;
  std::string org;
  std::string project;
  std::string stack;
  std::string operation;  // preview | up | refresh | destroy
  policy::Principal requester;
};

struct PreparedCredentials {
  // To add to the child's environment, in the order the providers set them. The values of
  // PULUMI_ACCESS_TOKEN are secrets: never log the environment.
  std::vector<std::pair<std::string, std::string>> env;
  // Run tokens minted, in order (also when preparing failed after minting some): the caller
  // records token.issued for each (runs/run_token_events.hpp), never the token value.
  std::vector<tokens::IssuedToken> issued;
};

}  // namespace sg::runs
