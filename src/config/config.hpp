// Config is the whole of stackgate.yaml, parsed once and validated into immutable structures.
//
// load_config (config/loader.hpp) builds it; the app owns one `const Config` for the life of the
// process and hands each service the section it needs. Every field has its default here, so a
// value-initialised section is the documented default. Sections that later layers implement
// (issuers, tokens, projects, catalog, audit) are validated as far as their shape allows.
// Immutable after loading; thread-safe to read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/duration.hpp"
#include "config/secret_ref.hpp"

namespace sg::config {

using namespace std::chrono_literals;

struct ServerConfig {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 7070;
  std::string public_url = "http://127.0.0.1:7070";
  unsigned threads = 0;  // 0: one per core
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  Duration read_timeout = 10s;    // to receive one whole request once it has started
  Duration idle_timeout = 60s;    // a kept-alive connection waiting for its next request
  Duration write_timeout = 10s;   // to send one response
  Duration shutdown_grace = 20s;  // SIGTERM: how long in-flight requests may take to finish
  std::size_t max_connections = 10000;
  bool access_log = true;
};

struct StoreConfig {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string url;          // as written, with any password removed
  std::string sqlite_path;  // kSqlite: absolute path of the database file
  Duration busy_timeout = 5s;
};

struct IssuerConfig {
  enum class Kind { kOidc, kBackstage, kJwks, kDev };
  std::string name;
  Kind kind = Kind::kOidc;
  std::string issuer;     // the exact `iss` expected (kOidc, kJwks); the auth base URL (kBackstage)
  std::string jwks_uri;   // optional override
  std::string jwks_file;  // kJwks: absolute path of a static JWKS
  std::vector<std::string> audiences;
  std::vector<std::string> algorithms;  // allow-list; empty means the kind's default
  std::vector<std::string> types;       // accepted `typ` values; empty means the kind's default
  Duration leeway = 30s;
  std::map<std::string, std::string> claims;  // principal attribute ← claim path
  enum class PrincipalKind { kUser, kMachine };
  PrincipalKind principal_kind = PrincipalKind::kUser;
  std::optional<SecretRef> secret;  // HS* shared secret, only where configured
};

struct TokensConfig {
  std::string algorithm = "ES256";  // ES256 | EdDSA
  Duration default_ttl = 15min;
  Duration max_ttl = 1h;
  Duration rotate_every = 24h;
  std::optional<SecretRef> key_encryption_key;
  // Audiences tokens may be exchanged for besides the gateway itself (server.public_url), e.g.
  // "urn:pulumi:org:acme" or a cloud provider's; anything else is refused (invalid_target).
  std::vector<std::string> audiences;
};

struct PulumiConfig {
  std::string command = "pulumi";
  unsigned max_concurrent_runs = 4;
  Duration run_timeout = 1h;
  Duration cancel_grace = 30s;
  Duration approval_timeout = 24h;  // a run awaiting approval is rejected after this long
  std::string runs_dir;             // absolute; empty: a private folder under the system's temp dir
  std::uint64_t max_output_bytes = 1 << 20;  // stdout and stderr kept per run, each (the tail)
  unsigned max_events_per_run = 100'000;     // engine events stored per run; the rest are counted
  Duration event_heartbeat = 15s;            // an SSE comment line after this long without events
};

struct StackConfig {
  std::string name;
  std::map<std::string, std::string> tags;
  std::string owner;
  std::string system;
  std::string lifecycle;
};

struct PulumiTokenCredential {
  SecretRef token;
};

struct PulumiOidcExchange {
  std::string api = "https://api.pulumi.com";
  std::string org;
  std::string team;
  std::string user;
  std::string token_type;  // organization | team | personal; derived from team/user when empty
  Duration ttl = 30min;
};

struct AwsCredential {
  std::string role_arn;  // may contain {org}, {project}, {stack}
  std::string audience = "sts.amazonaws.com";
  Duration session_duration = 1h;
};

struct GcpCredential {
  std::string audience;  // //iam.googleapis.com/projects/…/providers/…
  std::string service_account;
};

struct AzureCredential {
  std::string client_id;
  std::string tenant_id;
  std::string audience = "api://AzureADTokenExchange";
};

struct BackendCredential {
  std::string url;  // PULUMI_BACKEND_URL, e.g. s3://bucket or file:///path
  std::optional<SecretRef> passphrase;
};

struct CredentialsConfig {
  std::optional<PulumiTokenCredential> pulumi_token;
  std::optional<PulumiOidcExchange> pulumi_oidc;
  std::optional<AwsCredential> aws;
  std::optional<GcpCredential> gcp;
  std::optional<AzureCredential> azure;
  std::optional<BackendCredential> backend;
};

struct ProjectConfig {
  std::string org;
  std::string name;
  std::string dir;  // absolute
  std::vector<StackConfig> stacks;
  CredentialsConfig credentials;
};

struct CatalogConfig {
  bool enabled = false;
  std::string backstage_url;
  std::optional<SecretRef> token;
  Duration interval = 5min;
};

struct AuditSinkConfig {
  enum class Kind { kStdout, kFile, kWebhook };
  Kind kind = Kind::kStdout;
  std::string path;                // kFile: absolute
  std::string url;                 // kWebhook
  std::optional<SecretRef> token;  // kWebhook: bearer token
  unsigned batch = 100;            // kWebhook: most events per request
  Duration timeout = 10s;          // kWebhook: per request
};

struct AuditConfig {
  bool fail_closed = true;
  unsigned queue = 65'536;  // events waiting to be committed, at most
  unsigned checkpoint_every = 1000;
  Duration checkpoint_interval = 1min;
  std::vector<AuditSinkConfig> sinks;
};

struct Config {
  std::string path;  // the file it came from (absolute), or "<dev>"
  ServerConfig server;
  StoreConfig store;
  std::string policy_path;  // absolute; empty when not configured
  std::vector<IssuerConfig> issuers;
  TokensConfig tokens;
  PulumiConfig pulumi;
  std::vector<ProjectConfig> projects;
  CatalogConfig catalog;
  AuditConfig audit;
};

}  // namespace sg::config
