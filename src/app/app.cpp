#include "app/app.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "app/audit_sinks.hpp"
#include "app/key_rings.hpp"
#include "app/policy_reloader.hpp"
#include "app/store_opener.hpp"
#include "audit/audit_store.hpp"
#include "audit/checkpoint_keys.hpp"
#include "audit/curl_poster.hpp"
#include "audit/sink_runner.hpp"
#include "audit/writer.hpp"
#include "catalog/stack_registry.hpp"
#include "common/build_info.hpp"
#include "common/duration.hpp"
#include "http/api/audit.hpp"
#include "http/api/authorization.hpp"
#include "http/api/identity.hpp"
#include "http/api/oauth.hpp"
#include "http/api/ops.hpp"
#include "http/api/runs.hpp"
#include "http/metrics.hpp"
#include "http/readiness.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "identity/authenticator.hpp"
#include "identity/curl_fetcher.hpp"
#include "identity/dev_issuer.hpp"
#include "identity/issuer_factory.hpp"
#include "policy/policy_holder.hpp"
#include "policy/policy_loader.hpp"
#include "runs/child_environment.hpp"
#include "runs/command_path.hpp"
#include "runs/credential_preparer.hpp"
#include "runs/posix_process_spawner.hpp"
#include "runs/pulumi_run.hpp"
#include "runs/pulumi_token_exchanger.hpp"
#include "runs/run_identity.hpp"
#include "runs/run_service.hpp"
#include "runs/run_token_events.hpp"
#include "tokens/minter.hpp"
#include "tokens/revocation_list.hpp"
#include "tokens/self_issuer.hpp"

namespace sg::app {

struct App::Impl {
  Impl(const config::Config& c, Logger& l, Options o) : config(c), log(l), options(o) {}

  const config::Config& config;
  Logger& log;
  Options options;
  SystemClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<audit::AuditStore> audit_store;
  std::unique_ptr<keys::KeyRing> audit_keys;  // declared before the writer, which borrows it
  // Declared before the writer, so destroyed after it: the writer feeds them until it stops.
  std::vector<std::unique_ptr<audit::SinkRunner>> audit_sinks;
  std::unique_ptr<audit::AuditWriter> audit;
  identity::CurlFetcher fetcher;
  std::shared_ptr<const identity::DevIssuer> dev_issuer;
  // The gateway as issuer: declared before the authenticator, which borrows them.
  std::unique_ptr<keys::KeyRing> token_keys;
  std::unique_ptr<tokens::RevocationList> revoked;
  std::unique_ptr<tokens::Minter> minter;
  tokens::SelfIssuer* self_issuer = nullptr;  // owned by the authenticator
  std::unique_ptr<identity::Authenticator> authenticator;
  std::unique_ptr<policy::PolicyHolder> policy;
  std::unique_ptr<PolicyReloader> policy_reloader;  // null without a policy file
  std::unique_ptr<catalog::StackRegistry> stacks;
  // Runs: the gateway's environment as it was at start (the child's allow-list reads it).
  runs::Environment gateway_env;
  runs::PosixProcessSpawner spawner;
  audit::CurlPoster pulumi_cloud;  // the Pulumi Cloud token exchange
  std::unique_ptr<runs::PulumiTokenExchanger> exchanger;
  std::unique_ptr<runs::CredentialPreparer> credentials;
  std::unique_ptr<runs::RunService> runs;
  std::atomic<bool> shutting_down{false};
  http::Router router;
  http::Readiness readiness;
  std::unique_ptr<http::HttpMetrics> metrics;
  std::unique_ptr<http::Server> server;
};

namespace {

// How often the policy file is checked for changes.
constexpr Duration kPolicyPoll = std::chrono::seconds(1);

// The policy at start: the configured file (any error stops the start), or the empty policy.
Result<std::unique_ptr<policy::PolicyHolder>> load_policy(const std::string& path, Logger& log,
                                                          const Clock& clock) {
  std::shared_ptr<const policy::Policy> initial;
  if (path.empty()) {
    log.warn("no policy configured: every request will be denied");
    initial = policy::empty_policy();
  } else {
    policy::PolicyLoadResult loaded = policy::load_policy_file(path);
    if (!loaded.policy) {
      for (const auto& d : loaded.diagnostics)
        log.error("policy error", {{"diagnostic", d.to_string()}});
      return make_error(Errc::kInvalidConfig,
                        "the policy has " + std::to_string(loaded.diagnostics.size()) +
                            (loaded.diagnostics.size() == 1 ? " error" : " errors") + ", first: " +
                            (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].to_string()));
    }
    initial = loaded.policy;
    log.info("policy loaded", {{"path", path},
                               {"roles", initial->roles().size()},
                               {"rules", initial->rule_count()},
                               {"bindings", initial->bindings().size()}});
  }
  return std::make_unique<policy::PolicyHolder>(initial, !path.empty(), clock.now());
}

// /readyz stays ready on a refused reload (the previous policy serves) but says so.
std::string policy_warning(const policy::PolicyHolder& holder) {
  auto st = holder.status();
  if (!st.configured) return "no policy configured: every request is denied";
  if (!st.last_reload_failed) return "";
  return "reload refused (" + st.last_error + "); generation " + std::to_string(st.generation) +
         " stays in force";
}

void add_policy_gauges(http::HttpMetrics& metrics, const policy::PolicyHolder& holder) {
  const policy::PolicyHolder* h = &holder;
  metrics.add_gauge("stackgate_policy_generation",
                    "Generation of the policy in force (1 at start, +1 per successful reload).",
                    [h] { return static_cast<double>(h->status().generation); });
  metrics.add_gauge("stackgate_policy_rules", "Rules in the policy in force.",
                    [h] { return static_cast<double>(h->status().rules); });
  metrics.add_gauge(
      "stackgate_policy_last_reload_success",
      "1 if the last policy reload succeeded (or none was tried), 0 if it was refused.",
      [h] { return h->status().last_reload_failed ? 0.0 : 1.0; });
  metrics.add_gauge("stackgate_policy_reload_failures", "Policy reloads refused since start.",
                    [h] { return static_cast<double>(h->status().failures); });
  metrics.add_gauge(
      "stackgate_policy_loaded_timestamp_seconds",
      "When the policy in force was loaded (Unix time).", [h] {
        return std::chrono::duration<double>(h->status().loaded_at.time_since_epoch()).count();
      });
}

audit::AuditWriter::Options writer_options(const config::AuditConfig& cfg) {
  audit::AuditWriter::Options o;
  o.queue = cfg.queue;
  o.checkpoint_every = cfg.checkpoint_every;
  o.checkpoint_interval = cfg.checkpoint_interval;
  o.fail_closed = cfg.fail_closed;
  return o;
}

void add_audit_metrics(http::HttpMetrics& metrics, const audit::AuditWriter& writer) {
  const audit::AuditWriter* w = &writer;
  using Stats = audit::AuditWriter::Stats;
  auto read = [w](auto field) {
    return [w, field] { return static_cast<double>(field(w->stats())); };
  };
  metrics.add_counter("stackgate_audit_events_committed_total",
                      "Audit events made durable since start.",
                      read([](const Stats& s) { return s.committed; }));
  metrics.add_counter("stackgate_audit_commits_total",
                      "Audit transactions (group commits) since start.",
                      read([](const Stats& s) { return s.commits; }));
  metrics.add_counter("stackgate_audit_events_failed_total",
                      "Audit events whose commit failed (their requests were refused).",
                      read([](const Stats& s) { return s.failed; }));
  metrics.add_counter("stackgate_audit_events_rejected_total",
                      "Audit events refused because the queue was full or the writer stopped.",
                      read([](const Stats& s) { return s.rejected; }));
  metrics.add_counter("stackgate_audit_checkpoints_total", "Audit checkpoints signed since start.",
                      read([](const Stats& s) { return s.checkpoints; }));
  metrics.add_gauge("stackgate_audit_queue_depth", "Audit events waiting to be committed.",
                    read([](const Stats& s) { return s.queued; }));
  metrics.add_gauge("stackgate_audit_head_seq", "Seq of the last committed audit event.",
                    read([](const Stats& s) { return s.head_seq; }));
  metrics.add_gauge("stackgate_audit_healthy",
                    "1 if the last audit commit succeeded (or none was tried), 0 if it failed.",
                    read([](const Stats& s) { return s.healthy ? 1 : 0; }));
}

// Where runs get their folders: pulumi.runs_dir, else one per installation under the system's temp
// dir, so a restarted gateway finds (and removes) what a dead one left.
Result<std::filesystem::path> runs_dir(const config::PulumiConfig& cfg, store::Store& store) {
  if (!cfg.runs_dir.empty()) return std::filesystem::path(cfg.runs_dir);
  auto id = store.get_meta("instance_id");
  if (!id) return id.error();
  std::error_code ec;
  std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  if (ec) tmp = "/tmp";
  return tmp / ("stackgate-runs-" + id->value_or("default"));
}

std::string path_of(const runs::Environment& env) {
  for (const auto& [name, value] : env) {
    if (name == "PATH") return value;
  }
  return "";
}

void add_run_metrics(http::HttpMetrics& metrics, const runs::RunService& service) {
  const runs::RunService* r = &service;
  metrics.add_gauge("stackgate_runs_running", "Runs executing now.",
                    [r] { return static_cast<double>(r->stats().running); });
  metrics.add_counter("stackgate_runs_started_total", "Runs started since start.",
                      [r] { return static_cast<double>(r->stats().started); });
  metrics.add_counter("stackgate_runs_finished_total", "Runs finished since start.",
                      [r] { return static_cast<double>(r->stats().finished); });
}

}  // namespace

// The token key ring, the revocation list and the minter (tokens/), loaded from the store.
Status App::start_issuing(Impl& impl, const std::optional<keys::KeyEncryptionKey>& kek) {
  const config::TokensConfig& cfg = impl.config.tokens;
  Result<keys::KeyRingOptions> ring = token_key_ring_options(cfg, kek);
  if (!ring) return ring.error();
  impl.token_keys = std::make_unique<keys::KeyRing>(*impl.store, std::move(*ring));
  const Time now = impl.clock.now();
  if (Status loaded = impl.token_keys->load(now); !loaded) return loaded;
  if (std::size_t n = impl.token_keys->unsealed_keys(); n > 0) {
    impl.log.warn(
        "signing keys stored before the key-encryption key are unencrypted; rotate to replace "
        "them",
        {{"purpose", keys::kTokenKeyPurpose}, {"keys", n}});
  }
  impl.revoked = std::make_unique<tokens::RevocationList>(*impl.store);
  // Fail closed: without the revocation list, a revoked token would pass.
  if (Status read = impl.revoked->refresh(now); !read) return read;
  tokens::MinterSettings settings;
  settings.issuer = impl.config.server.public_url;
  settings.default_ttl = cfg.default_ttl;
  settings.max_ttl = cfg.max_ttl;
  settings.rotate_every = cfg.rotate_every;
  impl.minter = std::make_unique<tokens::Minter>(settings, *impl.token_keys);
  impl.log.info("token issuer ready", {{"issuer", settings.issuer},
                                       {"kid", impl.token_keys->current().kid()},
                                       {"revoked", impl.revoked->size()}});
  return {};
}

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

App::~App() {
  if (impl_->server) impl_->server->stop();
  if (impl_->runs) impl_->runs->stop(impl_->config.pulumi.cancel_grace);
  if (impl_->audit) impl_->audit->stop();
  for (auto& runner : impl_->audit_sinks)
    runner->stop();
}

Result<std::unique_ptr<App>> App::create(const config::Config& config, Logger& log,
                                         Options options) {
  auto impl = std::make_unique<Impl>(config, log, options);
  auto store = open_store(config.store);
  if (!store) return store.error();
  impl->store = std::move(store).value();
  auto version = impl->store->schema_version();
  log.info("store opened",
           {{"engine", impl->store->engine()}, {"schema_version", version ? *version : -1}});

  store::Store* s = impl->store.get();
  impl->readiness.add("store", [s] { return s->ping(); });

  auto kek = configured_kek(config.tokens);
  if (!kek) return kek.error();
  if (!*kek) {
    log.warn("signing keys are stored unencrypted in the store; set tokens.key_encryption_key");
  } else {
    log.info("signing keys are sealed", {{"key_encryption_key", (*kek)->id()}});
  }
  impl->audit_keys = std::make_unique<keys::KeyRing>(
      *impl->store, audit::checkpoint_key_ring_options(jose::Algorithm::kES256, *kek));
  if (Status loaded = impl->audit_keys->load(impl->clock.now()); !loaded) return loaded.error();
  if (std::size_t n = impl->audit_keys->unsealed_keys(); n > 0) {
    log.warn(
        "signing keys stored before the key-encryption key are unencrypted; rotate to "
        "replace them",
        {{"purpose", audit::kCheckpointKeyPurpose}, {"keys", n}});
  }

  impl->audit_store = std::make_unique<audit::AuditStore>(*impl->store);
  audit::AuditWriter::Options audit_options = writer_options(config.audit);
  audit_options.key_ring = impl->audit_keys.get();
  impl->audit = std::make_unique<audit::AuditWriter>(*impl->audit_store, *impl->store, impl->clock,
                                                     log, audit_options);
  auto sinks = make_audit_sinks(config.audit, *impl->store, log);
  if (!sinks) return sinks.error();
  impl->audit_sinks = std::move(sinks).value();
  for (auto& runner : impl->audit_sinks) {
    audit::SinkRunner* r = runner.get();
    impl->audit->add_listener(
        [r](std::span<const store::AuditRecord> records) { r->committed(records); });
  }
  if (Status started = impl->audit->start(); !started) return started.error();
  audit::AuditWriter* writer = impl->audit.get();
  // Nothing is recorded before App::start(): every sink starts from the head as it is now (a
  // durable sink from its stored cursor, catching up from the store).
  for (auto& runner : impl->audit_sinks) {
    if (Status started = runner->start(writer->head().seq); !started) return started.error();
    log.info("audit sink started", {{"sink", runner->name()}});
  }
  log.info("audit log opened",
           {{"head_seq", writer->head().seq}, {"fail_closed", config.audit.fail_closed}});
  impl->readiness.add("audit", [writer]() -> Status {
    if (writer->stats().healthy) return {};
    return make_error(Errc::kStoreUnavailable, "the last audit commit failed");
  });
  if (!impl->audit_sinks.empty()) {
    const auto* sink_list = &impl->audit_sinks;
    impl->readiness.add(
        "audit_sinks", [] { return Status{}; },
        [sink_list] {
          // A failing sink is a warning: the store holds every event and the sink catches up.
          std::string warning;
          for (const auto& runner : *sink_list) {
            audit::SinkState st = runner->state();
            if (!st.failing) continue;
            if (!warning.empty()) warning += "; ";
            warning += std::string(runner->name()) + " failing (" + st.last_error + "), " +
                       std::to_string(st.committed_seq - st.delivered_seq) + " events behind";
          }
          return warning;
        });
  }

  auto issuers = identity::make_issuers(config.issuers, impl->fetcher, impl->clock, &log);
  if (!issuers) return issuers.error();
  if (Status issuing = start_issuing(*impl, *kek); !issuing) return issuing.error();
  {
    auto self = std::make_unique<tokens::SelfIssuer>(config.server.public_url, *impl->token_keys,
                                                     *impl->revoked, jose::kDefaultLeeway);
    impl->self_issuer = self.get();
    issuers->push_back(std::move(self));
  }
  if (options.dev) {
    auto dev = identity::DevIssuer::create();
    if (!dev) return dev.error();
    impl->dev_issuer = std::move(dev).value();
    issuers->push_back(impl->dev_issuer->trusted_issuer());
  }
  impl->authenticator =
      std::make_unique<identity::Authenticator>(std::move(issuers).value(), impl->clock);
  identity::Authenticator* auth = impl->authenticator.get();
  {
    tokens::RevocationList* revoked = impl->revoked.get();
    const Clock* clock = &impl->clock;
    auth->set_revocation_check(
        [revoked, clock](std::string_view jti) { return revoked->check(jti, clock->now()); });
  }
  for (const auto& [name, status] : auth->prefetch()) {
    if (!status) {
      log.warn("issuer keys not available yet",
               {{"issuer", name}, {"error", status.error().message}});
    }
  }
  impl->readiness.add("issuers", [auth]() -> Status {
    for (auto& [name, status] : auth->readiness()) {
      if (!status) return make_error(status.code(), name + ": " + status.error().message);
    }
    return {};
  });

  auto holder = load_policy(config.policy_path, log, impl->clock);
  if (!holder) return holder.error();
  impl->policy = std::move(holder).value();
  if (!config.policy_path.empty()) {
    impl->policy_reloader = std::make_unique<PolicyReloader>(
        config.policy_path, *impl->policy, log, impl->clock, kPolicyPoll,
        [writer](audit::AuditEvent e) { writer->record(std::move(e)); });
  }
  const policy::PolicyHolder* h = impl->policy.get();
  impl->readiness.add(
      "policy", [] { return Status{}; }, [h] { return policy_warning(*h); });
  impl->stacks =
      std::make_unique<catalog::StackRegistry>(catalog::stacks_from_config(config.projects));

  // Runs: the Pulumi CLI must be there (readiness says so; a run without it fails with the reason).
  impl->gateway_env = runs::environment_from(environ);
  {
    const std::string command = config.pulumi.command;
    const std::string path = path_of(impl->gateway_env);
    auto found = runs::resolve_command(command, path);
    if (!found) {
      log.warn("the pulumi command is not available: runs will fail until it is",
               {{"command", command}, {"error", found.error().message}});
    }
    // Only a gateway with projects runs Pulumi; `serve --dev` (demo projects) reports a missing
    // CLI as a warning so the rest of the tour works without it.
    if (!config.projects.empty() && !options.dev) {
      impl->readiness.add("pulumi", [command, path]() -> Status {
        auto resolved = runs::resolve_command(command, path);
        if (!resolved) return resolved.error();
        return {};
      });
    } else if (!config.projects.empty()) {
      impl->readiness.add(
          "pulumi", [] { return Status{}; },
          [command, path]() -> std::string {
            auto resolved = runs::resolve_command(command, path);
            return resolved ? "" : resolved.error().message + "; runs will fail";
          });
    }
  }
  auto dir = runs_dir(config.pulumi, *impl->store);
  if (!dir) return dir.error();
  runs::RunServiceOptions run_options;
  run_options.max_concurrent_runs = config.pulumi.max_concurrent_runs;
  run_options.approval_timeout = config.pulumi.approval_timeout;
  run_options.runs_dir = *dir;
  run_options.max_events_per_run = config.pulumi.max_events_per_run;
  run_options.projects = config.projects;
  runs::PulumiSettings pulumi;
  pulumi.command = config.pulumi.command;
  pulumi.run_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.pulumi.run_timeout);
  pulumi.cancel_grace =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.pulumi.cancel_grace);
  pulumi.max_output_bytes = static_cast<std::size_t>(config.pulumi.max_output_bytes);
  impl->exchanger = std::make_unique<runs::PulumiTokenExchanger>(impl->pulumi_cloud);
  runs::CredentialSettings credential_settings;
  // A cloud token file is never refreshed while the run goes on: it must last as long as a run
  // may (the minter still cuts it to tokens.max_ttl).
  credential_settings.cloud_token_ttl = config.pulumi.run_timeout;
  impl->credentials = std::make_unique<runs::CredentialPreparer>(*impl->minter, *impl->exchanger,
                                                                 credential_settings);
  runs::CredentialSource credentials =
      [preparer = impl->credentials.get(), clock = &impl->clock](
          const config::ProjectConfig& project, const store::RunRecord& run,
          const policy::Principal& requester, const std::filesystem::path& run_dir,
          runs::RunCredentials& out) -> Status {
    auto ref = policy::parse_stack_ref(run.stack);
    if (!ref) return ref.error();
    runs::RunIdentity identity{run.id,    project.org,   project.name,
                               ref->name, run.operation, requester};
    runs::PreparedCredentials prepared;
    Status ok = preparer->prepare(project.credentials, identity, run_dir, clock->now(), prepared);
    for (const tokens::IssuedToken& token : prepared.issued) {
      out.audit.push_back(runs::run_token_event(token, identity));
    }
    out.env = std::move(prepared.env);
    return ok;
  };
  impl->runs = std::make_unique<runs::RunService>(
      std::move(run_options), *impl->store, *impl->audit, *impl->policy, *impl->stacks, impl->clock,
      log, runs::make_pulumi_runs(pulumi, impl->gateway_env, impl->spawner, impl->clock),
      std::move(credentials));
  auto orphaned = impl->runs->recover();
  if (!orphaned) return orphaned.error();
  if (*orphaned > 0) log.warn("runs orphaned by the previous gateway", {{"runs", *orphaned}});

  unsigned workers = http::Server::worker_count(config.server);
  impl->metrics = std::make_unique<http::HttpMetrics>(impl->router, workers);
  add_policy_gauges(*impl->metrics, *impl->policy);
  add_audit_metrics(*impl->metrics, *impl->audit);
  add_run_metrics(*impl->metrics, *impl->runs);
  http::api::add_ops_routes(impl->router,
                            {impl->readiness, *impl->metrics, log, impl->shutting_down});
  http::api::add_identity_routes(impl->router,
                                 {*impl->authenticator, impl->dev_issuer, impl->clock, log});
  http::api::AuthorizationDeps access{*impl->authenticator, *impl->policy, *impl->stacks, log};
  http::api::add_authorization_routes(impl->router, access);
  http::api::add_stack_routes(impl->router, access);
  http::api::add_audit_routes(impl->router,
                              {*impl->authenticator, *impl->policy, *impl->audit_store, *s, log});
  http::api::add_oauth_routes(
      impl->router,
      {*impl->authenticator, *impl->policy, *impl->stacks, *impl->token_keys, *impl->minter,
       *impl->self_issuer, *impl->revoked, config.tokens.audiences, impl->clock, log});
  http::api::add_run_routes(
      impl->router,
      {*impl->authenticator, *impl->runs, log,
       std::chrono::duration_cast<std::chrono::milliseconds>(config.pulumi.event_heartbeat)});
  impl->server =
      std::make_unique<http::Server>(config.server, impl->router, *impl->metrics, log,
                                     http::ServerAudit{writer, config.audit.fail_closed});
  return std::unique_ptr<App>(new App(std::move(impl)));
}

Status App::start() {
  Impl& impl = *impl_;
  if (Status s = impl.server->listen(); !s) return s;
  if (Status s = impl.runs->start(); !s) return s;
  impl.server->start();
  if (impl.policy_reloader) impl.policy_reloader->start();
  const BuildInfo& info = build_info();
  impl.log.info("listening", {{"host", impl.config.server.listen_host},
                              {"port", static_cast<unsigned>(impl.server->port())},
                              {"threads", http::Server::worker_count(impl.config.server)},
                              {"version", info.version},
                              {"commit", info.commit}});
  impl.log.flush();
  return {};
}

std::uint16_t App::port() const {
  return impl_->server->port();
}

void App::block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int App::run_until_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      for (auto& runner : impl_->audit_sinks)
        runner->reopen();
      if (impl_->policy_reloader) {
        impl_->policy_reloader->reload("SIGHUP");
      } else {
        impl_->log.info("SIGHUP received; no policy file to reload");
      }
      continue;
    }
    impl_->log.info("shutdown requested", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    return shutdown() ? 0 : 1;
  }
}

bool App::shutdown() {
  Impl& impl = *impl_;
  impl.shutting_down.store(true);
  impl.server->begin_shutdown();
  bool drained = impl.server->wait_drained(impl.config.server.shutdown_grace);
  if (!drained) {
    impl.log.warn("shutdown grace period over; closing the connections still open",
                  {{"grace", format_duration(impl.config.server.shutdown_grace)}});
  }
  // Running runs are cancelled (SIGINT, SIGKILL after cancel_grace) and recorded before the audit
  // log closes.
  impl.runs->stop(impl.config.pulumi.cancel_grace);
  impl.server->stop();
  impl.audit->stop();
  for (auto& runner : impl.audit_sinks)
    runner->stop();
  impl.log.info("stopped", {{"clean", drained}, {"audit_head_seq", impl.audit->head().seq}});
  impl.log.flush();
  return drained;
}

}  // namespace sg::app
