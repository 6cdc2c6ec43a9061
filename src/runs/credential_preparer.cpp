#include "runs/credential_preparer.hpp"

#include "common/printable_url.hpp"
#include "runs/credential_providers.hpp"
#include "runs/credential_set.hpp"
#include "runs/private_file.hpp"
#include "tokens/run_claims.hpp"

namespace sg::runs {
namespace {

// Everything prepare() can refuse before it writes or mints anything.
Status preflight(const config::CredentialsConfig& creds, const RunIdentity& run,
                 const std::filesystem::path& run_dir) {
  Status s = tokens::check_run_claims(
      tokens::RunClaims{run.org, run.project, run.stack, run.operation, run.run_id});
  if (s) s = check_private_dir(run_dir);
  if (s && creds.aws) s = check_aws(*creds.aws, run);
  if (s && creds.gcp) s = check_gcp(*creds.gcp);
  if (s && creds.azure) s = check_azure(*creds.azure);
  if (s && creds.pulumi_oidc && creds.backend &&
      pulumi_api_url(creds.pulumi_oidc->api) != creds.backend->url) {
    return make_error(Errc::kInvalidConfig,
                      "pulumi.oidc_exchange: its api " + printable_url(creds.pulumi_oidc->api) +
                          " and backend.url " + printable_url(creds.backend->url) +
                          " would both set PULUMI_BACKEND_URL; configure one of them");
  }
  return s;
}

}  // namespace

CredentialPreparer::CredentialPreparer(tokens::Minter& minter, PulumiTokenExchanger& exchanger,
                                       CredentialSettings settings)
    : minter_(minter), exchanger_(exchanger), settings_(settings) {}

Status CredentialPreparer::prepare(const config::CredentialsConfig& creds, const RunIdentity& run,
                                   const std::filesystem::path& run_dir, Time now,
                                   PreparedCredentials& out) {
  out.env.clear();
  if (Status s = preflight(creds, run, run_dir); !s) return s;
  CredentialSet set(minter_, run, run_dir, now, out);
  Status s;
  if (creds.pulumi_token) s = add_pulumi_token(*creds.pulumi_token, set);
  if (s && creds.backend) s = add_backend(*creds.backend, set);
  if (s && creds.aws) s = add_aws(*creds.aws, settings_.cloud_token_ttl, set);
  if (s && creds.gcp) s = add_gcp(*creds.gcp, settings_.cloud_token_ttl, set);
  if (s && creds.azure) s = add_azure(*creds.azure, settings_.cloud_token_ttl, set);
  if (s && creds.pulumi_oidc) {
    s = add_pulumi_oidc(*creds.pulumi_oidc, exchanger_, settings_.pulumi_token_ttl, set);
  }
  if (!s) {
    set.discard();
    out.env.clear();
  }
  return s;
}

}  // namespace sg::runs
