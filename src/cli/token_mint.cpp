// `stackgate token mint`: a stackgate token minted offline, to bootstrap a machine identity (a CI
// system, an agent) without any other issuer. It needs what the gateway itself needs to sign —
// the configured store and key-encryption key — and is recorded in the audit log like every
// issued token (`token.issued`, how "cli"), durably before the token is printed: a token nobody can
// account for is never handed out.
//
// The subject's issuer is "stackgate" (tokens::kSelfIssuerName) and its kind `machine` unless
// told otherwise, so the policy binds it explicitly, e.g. `when: { issuer: stackgate, subject:
// ci-bootstrap }`. Lifetime: --ttl, default tokens.default_ttl, at most tokens.max_ttl.
// The token goes to stdout alone; its jti and expiry to stderr. Exit 0, or 2 when it cannot mint.
#include <future>
#include <iostream>

#include "app/key_rings.hpp"
#include "audit/audit_store.hpp"
#include "audit/checkpoint_keys.hpp"
#include "audit/writer.hpp"
#include "cli/commands.hpp"
#include "cli/configured_store.hpp"
#include "common/duration.hpp"
#include "common/logger.hpp"
#include "tokens/minter.hpp"
#include "tokens/self_issuer.hpp"
#include "tokens/token_events.hpp"

namespace sg::cli {
namespace {

constexpr int kExitError = 2;

struct MintOptions {
  std::string config_path;
  std::string subject;
  std::string scope;
  std::string ttl;
  std::string audience;
  std::string kind = "machine";
  std::vector<std::string> groups;
};

int fail(std::string_view message) {
  std::cerr << "stackgate token mint: " << message << "\n";
  return kExitError;
}

// Records `event` through a writer of its own and waits until it is durable.
Status record(store::Store& store, const config::Config& cfg,
              std::optional<keys::KeyEncryptionKey> kek, audit::AuditEvent event) {
  keys::KeyRing audit_keys(
      store, audit::checkpoint_key_ring_options(jose::Algorithm::kES256, std::move(kek)));
  SystemClock clock;
  if (Status loaded = audit_keys.load(clock.now()); !loaded) return loaded;
  audit::AuditStore audit_store(store);
  Logger quiet(2, LogLevel::kError);
  audit::AuditWriter::Options options;
  options.fail_closed = true;
  options.checkpoint_every = cfg.audit.checkpoint_every;
  options.key_ring = &audit_keys;
  audit::AuditWriter writer(audit_store, store, clock, quiet, options);
  if (Status started = writer.start(); !started) return started;
  std::promise<Status> done;
  std::vector<audit::AuditEvent> events;
  events.push_back(std::move(event));
  writer.submit(std::move(events), [&done](const Status& s) { done.set_value(s); });
  Status result = done.get_future().get();
  writer.stop();
  return result;
}

int run_mint(const MintOptions& o) {
  config::Config cfg;
  std::unique_ptr<store::Store> store =
      open_configured_store(o.config_path, "stackgate token mint", std::cerr, &cfg);
  if (!store) return kExitError;
  std::optional<policy::Scope> scope;
  if (!o.scope.empty()) {
    Result<policy::Scope> parsed = policy::Scope::parse(o.scope);
    if (!parsed) return fail("--scope: " + parsed.error().message);
    scope = std::move(*parsed);
  }
  std::optional<Duration> ttl;
  if (!o.ttl.empty()) {
    Result<Duration> parsed = parse_duration(o.ttl);
    if (!parsed) return fail("--ttl: " + parsed.error().message);
    ttl = *parsed;
  }
  Result<std::optional<keys::KeyEncryptionKey>> kek = app::configured_kek(cfg.tokens);
  if (!kek) return fail(kek.error().message);
  Result<keys::KeyRingOptions> ring_options = app::token_key_ring_options(cfg.tokens, *kek);
  if (!ring_options) return fail(ring_options.error().message);
  keys::KeyRing ring(*store, std::move(*ring_options));
  const Time now = SystemClock().now();
  if (Status loaded = ring.load(now); !loaded) return fail(loaded.error().message);

  tokens::MinterSettings settings;
  settings.issuer = cfg.server.public_url;
  settings.default_ttl = cfg.tokens.default_ttl;
  settings.max_ttl = cfg.tokens.max_ttl;
  settings.rotate_every = cfg.tokens.rotate_every;
  tokens::Minter minter(settings, ring);
  tokens::MintRequest request;
  request.subject.subject = o.subject;
  request.subject.issuer = std::string(tokens::kSelfIssuerName);
  request.subject.kind =
      o.kind == "user" ? policy::PrincipalKind::kUser : policy::PrincipalKind::kMachine;
  request.subject.groups = o.groups;
  request.scope = scope;
  request.ttl = ttl;
  request.audience = o.audience;
  if (o.audience.starts_with("urn:pulumi:org:")) request.shape = tokens::TokenShape::kIdToken;
  Result<tokens::IssuedToken> issued = minter.mint(request, now);
  if (!issued) return fail(issued.error().message);

  audit::AuditEvent event = tokens::issued_event(*issued, request.subject, nullptr, {}, "cli");
  if (Status recorded = record(*store, cfg, *kek, std::move(event)); !recorded) {
    return fail("the token was not handed out: its audit event could not be recorded (" +
                recorded.error().message + ")");
  }
  std::cout << issued->token << "\n";
  std::cerr << "minted token " << issued->jti << " for " << o.subject << ", expires "
            << format_rfc3339(Time(std::chrono::seconds(issued->expires_at))) << "\n";
  return 0;
}

}  // namespace

void add_token_mint(CLI::App& token, int& exit_code) {
  auto o = std::make_shared<MintOptions>();
  CLI::App* cmd = token.add_subcommand(
      "mint",
      "Mint a stackgate token offline for a machine identity (recorded in the audit log); the "
      "token goes to stdout");
  cmd->add_option("--config,-c", o->config_path, "Path of stackgate.yaml (its store and keys)")
      ->required();
  cmd->add_option("--subject", o->subject, "The token's sub, e.g. ci-bootstrap")->required();
  cmd->add_option("--scope", o->scope,
                  "Space-separated stack:<glob>:<action>[,<action>] items narrowing the token");
  cmd->add_option("--ttl", o->ttl, "Lifetime, e.g. 10m (default tokens.default_ttl)");
  cmd->add_option("--audience", o->audience, "aud (default: the gateway, server.public_url)");
  cmd->add_option("--kind", o->kind, "machine (default) or user")
      ->check(CLI::IsMember({"machine", "user"}));
  cmd->add_option("--group", o->groups, "A group of the subject (repeatable)")
      ->allow_extra_args(false);
  cmd->footer(
      "Exit status: 0 minted, 2 it could not mint (usage, configuration, store, keys, "
      "audit). docs/tokens.md has the details.");
  cmd->callback([o, &exit_code] { exit_code = run_mint(*o); });
}

}  // namespace sg::cli
