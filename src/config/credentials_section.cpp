// `projects[].credentials`: how a run of the project gets its Pulumi and cloud credentials.
#include "config/fields.hpp"
#include "config/locations.hpp"
#include "config/secret_field.hpp"
#include "config/sections.hpp"

namespace sg::config {
namespace {

std::optional<std::string> as_role_arn(Context& ctx, const Value& v) {
  auto s = as_string(ctx, v);
  if (!s || s->starts_with("arn:")) return s;
  ctx.error(v, "expected an IAM role ARN starting with arn:, got " + describe(v.node));
  return std::nullopt;
}

std::optional<PulumiOidcExchange> as_oidc_exchange(Context& ctx, const Value& v) {
  PulumiOidcExchange x;
  ObjectReader r(ctx, v);
  r.read("api", x.api, as_secure_url);
  r.read("org", x.org, as_string);
  r.read("team", x.team, as_string);
  r.read("user", x.user, as_string);
  r.choice("token_type", x.token_type,
           {{"organization", "organization"}, {"team", "team"}, {"personal", "personal"}});
  r.read("ttl", x.ttl, duration_in(Duration(1), std::chrono::hours(24)));
  if (!x.team.empty() && !x.user.empty()) r.error("user", "set team or user, not both");
  if (x.token_type == "team" && !r.has("team")) r.missing("team", " (token_type team needs it)");
  if (x.token_type == "personal" && !r.has("user"))
    r.missing("user", " (token_type personal needs it)");
  return x;
}

void read_pulumi_credential(Context& ctx, const Value& v, CredentialsConfig& c) {
  ObjectReader r(ctx, v);
  auto which = r.exactly_one({"token", "oidc_exchange"});
  SecretRef token;
  if (which == "token" && r.read("token", token, as_secret))
    c.pulumi_token = PulumiTokenCredential{token};
  if (which == "oidc_exchange") r.read("oidc_exchange", c.pulumi_oidc, as_oidc_exchange);
}

std::optional<AwsCredential> as_aws(Context& ctx, const Value& v) {
  AwsCredential aws;
  ObjectReader r(ctx, v);
  r.read("role_arn", aws.role_arn, as_role_arn, Need::kRequired);
  r.read("audience", aws.audience, as_string);
  r.read("session_duration", aws.session_duration,
         duration_in(std::chrono::minutes(15), std::chrono::hours(12)));
  return aws;
}

std::optional<GcpCredential> as_gcp(Context& ctx, const Value& v) {
  GcpCredential gcp;
  ObjectReader r(ctx, v);
  r.read("audience", gcp.audience, as_string, Need::kRequired);
  r.read("service_account", gcp.service_account, as_string);
  return gcp;
}

std::optional<AzureCredential> as_azure(Context& ctx, const Value& v) {
  AzureCredential azure;
  ObjectReader r(ctx, v);
  r.read("client_id", azure.client_id, as_string, Need::kRequired);
  r.read("tenant_id", azure.tenant_id, as_string, Need::kRequired);
  r.read("audience", azure.audience, as_string);
  return azure;
}

std::optional<BackendCredential> as_backend(Context& ctx, const Value& v) {
  BackendCredential backend;
  ObjectReader r(ctx, v);
  r.read("url", backend.url, as_any_url, Need::kRequired);
  r.read("passphrase", backend.passphrase, as_secret);
  return backend;
}

}  // namespace

std::optional<CredentialsConfig> read_credentials(Context& ctx, const Value& v) {
  CredentialsConfig c;
  ObjectReader r(ctx, v);
  if (auto pulumi = r.get("pulumi")) read_pulumi_credential(ctx, *pulumi, c);
  r.read("aws", c.aws, as_aws);
  r.read("gcp", c.gcp, as_gcp);
  r.read("azure", c.azure, as_azure);
  r.read("backend", c.backend, as_backend);
  return c;
}

}  // namespace sg::config
