// CredentialPreparer produces the credentials of one Pulumi run: the environment variables and
// private files its child process gets, per the providers the project configures
// (`projects[].credentials`; runs/credential_providers.hpp lists what each provider sets).
//
// prepare() first checks what needs no side effect — the run's names, the run directory
// (runs/private_file.hpp: a 0700 directory of ours), each provider's configuration — then runs
// the providers in this order: pulumi.token and backend (which resolve their secrets and mint
// nothing), aws, gcp, azure, and pulumi.oidc_exchange last (the network call most likely to
// fail). So a configuration error or a missing secret mints nothing. On any failure
// it removes the files it wrote, clears `out.env`, and keeps in `out.issued` the run tokens it
// had minted, which the caller must still record. Errors start with the provider's name
// ("aws: …") and say the cause in plain words, never a secret or token.
//
// Lifetimes (docs/runs.md explains them): the run token for Pulumi Cloud is presented at once and
// lives `pulumi_token_ttl` (5 min). A cloud token is re-read by the cloud SDKs each time they
// renew their own short-lived credentials (about hourly) and a token file is never refreshed, so
// a cloud token lives `cloud_token_ttl` — the app is to pass pulumi.run_timeout, the longest a run
// may take — cut to tokens.max_ttl by the minter.
//
// Owner: the run service (the app is to build one). Thread-safe: prepare() keeps no state between
// calls, and the minter and the exchanger are thread-safe.
#pragma once

#include <filesystem>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "runs/pulumi_token_exchanger.hpp"
#include "runs/run_identity.hpp"
#include "tokens/minter.hpp"

namespace sg::runs {

struct CredentialSettings {
  Duration pulumi_token_ttl = std::chrono::minutes(5);
  Duration cloud_token_ttl = std::chrono::hours(1);
};

class CredentialPreparer {
 public:
  CredentialPreparer(tokens::Minter& minter, PulumiTokenExchanger& exchanger,
                     CredentialSettings settings = {});

  // Fills `out` (which should be empty) for `run`, writing files into `run_dir`.
  // Errors: kInvalidArgument (a malformed run name), kInvalidConfig (a provider's configuration,
  // a secret that cannot be resolved), kIo (the run directory, a file), kForbidden (Pulumi Cloud
  // refused the exchange), kUnavailable (Pulumi Cloud unreachable or answering wrongly),
  // kStoreUnavailable (the signing keys).
  Status prepare(const config::CredentialsConfig& creds, const RunIdentity& run,
                 const std::filesystem::path& run_dir, Time now, PreparedCredentials& out);

 private:
  tokens::Minter& minter_;
  PulumiTokenExchanger& exchanger_;
  const CredentialSettings settings_;
};

}  // namespace sg::runs
