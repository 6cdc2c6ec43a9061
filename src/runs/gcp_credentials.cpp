// The gcp provider: an external_account credential configuration over a run token file, for
// Google Cloud workload identity federation.
#include <algorithm>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "runs/credential_providers.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;

constexpr std::string_view kGcp = "gcp";
constexpr std::string_view kIamPrefix = "//iam.googleapis.com/";
constexpr std::string_view kHttpsIamPrefix = "https://iam.googleapis.com/";

bool is_email_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '@';
}

}  // namespace

GcpAudiences gcp_audiences(std::string_view configured) {
  if (configured.starts_with(kIamPrefix)) {
    return {std::string(configured), "https:" + std::string(configured)};
  }
  if (configured.starts_with(kHttpsIamPrefix)) {
    return {std::string(configured.substr(6)), std::string(configured)};
  }
  return {std::string(configured), std::string(configured)};
}

std::string gcp_credential_config(const GcpAudiences& audiences, const std::string& token_file,
                                  const std::string& service_account) {
  json::object o;
  o["type"] = "external_account";
  o["audience"] = audiences.sts;
  o["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt";
  o["token_url"] = "https://sts.googleapis.com/v1/token";
  o["credential_source"] = json::object{{"file", token_file}};
  if (!service_account.empty()) {
    o["service_account_impersonation_url"] =
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/" + service_account +
        ":generateAccessToken";
  }
  return json::serialize(o);
}

Status check_gcp(const config::GcpCredential& gcp) {
  if (gcp.audience.empty()) return make_error(Errc::kInvalidConfig, "gcp: audience is empty");
  const std::string& sa = gcp.service_account;
  if (!sa.empty() && (sa.size() > 254 || std::ranges::count(sa, '@') != 1 ||
                      !std::ranges::all_of(sa, is_email_char))) {
    return make_error(Errc::kInvalidConfig,
                      "gcp: service_account is not a service account's email address");
  }
  return {};
}

Status add_gcp(const config::GcpCredential& gcp, Duration token_ttl, CredentialSet& set) {
  if (Status s = check_gcp(gcp); !s) return s;
  const GcpAudiences audiences = gcp_audiences(gcp.audience);
  Result<tokens::IssuedToken> token = set.mint(kGcp, audiences.token, token_ttl);
  if (!token) return token.error();
  Result<std::string> token_path = set.write(kGcp, kGcpTokenFile, token->token);
  if (!token_path) return token_path.error();
  Result<std::string> config_path = set.write(
      kGcp, kGcpCredentialFile, gcp_credential_config(audiences, *token_path, gcp.service_account));
  if (!config_path) return config_path.error();
  Status s = set.set(kGcp, "GOOGLE_APPLICATION_CREDENTIALS", *config_path);
  if (s) s = set.set(kGcp, "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", std::move(*config_path));
  return s;
}

}  // namespace sg::runs
