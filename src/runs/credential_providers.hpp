// The credential providers of a run, one function each, called by CredentialPreparer for the
// providers a project configures (`projects[].credentials`, config/config.hpp). Each adds to the
// run's CredentialSet; docs/runs.md lists exactly what each one sets and writes, and why.
//
// - pulumi.token: PULUMI_ACCESS_TOKEN from the secret reference.
// - pulumi.oidc_exchange: a run token for urn:pulumi:org:<org>, exchanged at Pulumi Cloud
//   (runs/pulumi_token_exchanger.hpp) for PULUMI_ACCESS_TOKEN; PULUMI_BACKEND_URL = the api.
// - backend: PULUMI_BACKEND_URL, and the passphrase in the file PULUMI_CONFIG_PASSPHRASE_FILE.
// - aws: a run token in the file AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME.
// - gcp: a run token in a file, and an external_account credential configuration that reads it,
//   in GOOGLE_APPLICATION_CREDENTIALS and CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE.
// - azure: a run token in the file AZURE_FEDERATED_TOKEN_FILE and ARM_OIDC_TOKEN_FILE_PATH, with
//   AZURE_CLIENT_ID/AZURE_TENANT_ID and ARM_USE_OIDC/ARM_CLIENT_ID/ARM_TENANT_ID.
// The check_* functions find a provider's configuration errors before anything is minted; the
// pure helpers are exposed for tests. Owner: runs. Pure helpers thread-safe; the rest as the set.
#pragma once

#include <string>
#include <string_view>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "runs/credential_set.hpp"
#include "runs/pulumi_token_exchanger.hpp"
#include "runs/run_identity.hpp"

namespace sg::runs {

// File names in the run's directory.
inline constexpr std::string_view kPassphraseFile = "passphrase";
inline constexpr std::string_view kAwsTokenFile = "aws-web-identity-token";
inline constexpr std::string_view kGcpTokenFile = "gcp-subject-token";
inline constexpr std::string_view kGcpCredentialFile = "gcp-credentials.json";
inline constexpr std::string_view kAzureTokenFile = "azure-federated-token";

inline constexpr std::size_t kMaxAwsSessionNameBytes = 64;

// --- pure helpers ---

// `pattern` with {org}, {project} and {stack} replaced by the run's. Errors: kInvalidConfig for
// any other {placeholder} or an unclosed '{'.
Result<std::string> aws_role_arn(std::string_view pattern, const RunIdentity& run);

// "sg-<run id>-<person>": the person is the requester's email, else their subject. Characters
// outside AWS's [\w+=,.@-] become '-' (a run of them one '-'); the run id counts at most 32
// characters, and the whole at most kMaxAwsSessionNameBytes.
std::string aws_session_name(const RunIdentity& run);

// The audiences of a workload identity provider given as "//iam.googleapis.com/…" (or
// "https://iam.googleapis.com/…"): `sts` is the "//…" form Google's STS takes in the credential
// configuration; `token` the "https://…" form a provider accepts by default as the token's `aud`.
// Any other value is used as it is for both.
struct GcpAudiences {
  std::string sts;
  std::string token;
};
GcpAudiences gcp_audiences(std::string_view configured);

// The external_account credential configuration (JSON text) for a token in `token_file`.
std::string gcp_credential_config(const GcpAudiences& audiences, const std::string& token_file,
                                  const std::string& service_account);

// Errors: kInvalidConfig naming the field.
Status check_aws(const config::AwsCredential& aws, const RunIdentity& run);
Status check_gcp(const config::GcpCredential& gcp);
Status check_azure(const config::AzureCredential& azure);

// --- providers ---

Status add_pulumi_token(const config::PulumiTokenCredential& pulumi, CredentialSet& set);
Status add_pulumi_oidc(const config::PulumiOidcExchange& pulumi, PulumiTokenExchanger& exchanger,
                       Duration token_ttl, CredentialSet& set);
Status add_backend(const config::BackendCredential& backend, CredentialSet& set);
Status add_aws(const config::AwsCredential& aws, Duration token_ttl, CredentialSet& set);
Status add_gcp(const config::GcpCredential& gcp, Duration token_ttl, CredentialSet& set);
Status add_azure(const config::AzureCredential& azure, Duration token_ttl, CredentialSet& set);

}  // namespace sg::runs
