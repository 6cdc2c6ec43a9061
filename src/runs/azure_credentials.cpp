// The azure provider: a federated token file for Microsoft Entra workload identity federation.
#include <string>

#include "runs/credential_providers.hpp"

namespace sg::runs {
namespace {

constexpr std::string_view kAzure = "azure";

}  // namespace

Status check_azure(const config::AzureCredential& azure) {
  if (azure.client_id.empty()) return make_error(Errc::kInvalidConfig, "azure: client_id is empty");
  if (azure.tenant_id.empty()) return make_error(Errc::kInvalidConfig, "azure: tenant_id is empty");
  if (azure.audience.empty()) return make_error(Errc::kInvalidConfig, "azure: audience is empty");
  return {};
}

Status add_azure(const config::AzureCredential& azure, Duration token_ttl, CredentialSet& set) {
  if (Status s = check_azure(azure); !s) return s;
  Result<tokens::IssuedToken> token = set.mint(kAzure, azure.audience, token_ttl);
  if (!token) return token.error();
  Result<std::string> path = set.write(kAzure, kAzureTokenFile, token->token);
  if (!path) return path.error();
  // The Azure SDKs' WorkloadIdentityCredential (AZURE_*), and the Pulumi azure-native provider's
  // OIDC mode (ARM_*), which reads the token file once and presents it for every Entra token.
  Status s = set.set(kAzure, "AZURE_CLIENT_ID", azure.client_id);
  if (s) s = set.set(kAzure, "AZURE_TENANT_ID", azure.tenant_id);
  if (s) s = set.set(kAzure, "AZURE_FEDERATED_TOKEN_FILE", *path);
  if (s) s = set.set(kAzure, "ARM_USE_OIDC", "true");
  if (s) s = set.set(kAzure, "ARM_CLIENT_ID", azure.client_id);
  if (s) s = set.set(kAzure, "ARM_TENANT_ID", azure.tenant_id);
  if (s) s = set.set(kAzure, "ARM_OIDC_TOKEN_FILE_PATH", std::move(*path));
  return s;
}

}  // namespace sg::runs
