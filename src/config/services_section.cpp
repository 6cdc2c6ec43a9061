// The `tokens`, `pulumi`, `catalog` and `audit` sections.
#include "common/duration.hpp"
#include "config/fields.hpp"
#include "config/locations.hpp"
#include "config/secret_field.hpp"
#include "config/sections.hpp"

namespace sg::config {
namespace {

using std::chrono::hours;

std::optional<AuditSinkConfig> as_sink(Context& ctx, const Value& v) {
  AuditSinkConfig sink;
  ObjectReader r(ctx, v);
  auto which = r.exactly_one({"stdout", "file", "webhook"});
  if (!which) return sink;
  ObjectReader body(ctx, *r.get(*which));
  if (which == "file") {
    sink.kind = AuditSinkConfig::Kind::kFile;
    body.read("path", sink.path, as_path, Need::kRequired);
  } else if (which == "webhook") {
    sink.kind = AuditSinkConfig::Kind::kWebhook;
    body.read("url", sink.url, as_secure_url, Need::kRequired);
    body.read("token", sink.token, as_secret);
    body.read("batch", sink.batch, uint_in(1, 10'000));
    body.read("timeout", sink.timeout, duration_in(Duration(1), std::chrono::minutes(5)));
  }
  return sink;
}

std::optional<std::vector<AuditSinkConfig>> as_sinks(Context& ctx, const Value& v) {
  std::vector<AuditSinkConfig> sinks;
  for (const Value& item : list_items(ctx, v))
    sinks.push_back(*as_sink(ctx, item));
  return sinks;
}

}  // namespace

std::optional<TokensConfig> read_tokens(Context& ctx, const Value& v) {
  TokensConfig t;
  ObjectReader r(ctx, v);
  r.choice("algorithm", t.algorithm, {{"ES256", "ES256"}, {"EdDSA", "EdDSA"}});
  bool default_ok = r.read("default_ttl", t.default_ttl, duration_in());
  bool max_ok = r.read("max_ttl", t.max_ttl, duration_in(Duration(1), hours(24)));
  r.read("rotate_every", t.rotate_every, duration_in());
  r.read("key_encryption_key", t.key_encryption_key, as_secret);
  r.read("audiences", t.audiences, as_string_list);
  bool comparable = (default_ok || !r.has("default_ttl")) && (max_ok || !r.has("max_ttl"));
  if (comparable && t.default_ttl > t.max_ttl) {
    r.error("default_ttl", "must not be longer than max_ttl (" + format_duration(t.max_ttl) +
                               "), got " + format_duration(t.default_ttl));
  }
  return t;
}

namespace {

// pulumi.command: a name looked up on PATH, or — when it holds a '/' — a path, made absolute
// against the configuration's folder like every other path.
std::optional<std::string> as_command(Context& ctx, const Value& v) {
  auto text = as_string(ctx, v);
  if (!text || text->find('/') == std::string::npos) return text;
  return as_path(ctx, v);
}

}  // namespace

std::optional<PulumiConfig> read_pulumi(Context& ctx, const Value& v) {
  PulumiConfig p;
  ObjectReader r(ctx, v);
  r.read("command", p.command, as_command);
  r.read("max_concurrent_runs", p.max_concurrent_runs, uint_in(1, 1024));
  r.read("run_timeout", p.run_timeout, duration_in());
  r.read("cancel_grace", p.cancel_grace, duration_in());
  r.read("approval_timeout", p.approval_timeout, duration_in(std::chrono::seconds(1)));
  r.read("runs_dir", p.runs_dir, as_path);
  r.read("max_output_bytes", p.max_output_bytes, size_in(4096, std::uint64_t{1} << 30));
  r.read("max_events_per_run", p.max_events_per_run, uint_in(100, 10'000'000));
  r.read("event_heartbeat", p.event_heartbeat,
         duration_in(std::chrono::milliseconds(100), std::chrono::minutes(10)));
  return p;
}

std::optional<CatalogConfig> read_catalog(Context& ctx, const Value& v) {
  CatalogConfig c;
  c.enabled = true;
  ObjectReader r(ctx, v);
  r.read("backstage_url", c.backstage_url, as_http_url, Need::kRequired);
  r.read("token", c.token, as_secret);
  r.read("interval", c.interval, duration_in());
  return c;
}

std::optional<AuditConfig> read_audit(Context& ctx, const Value& v) {
  AuditConfig a;
  ObjectReader r(ctx, v);
  r.read("fail_closed", a.fail_closed, as_bool);
  r.read("queue", a.queue, uint_in(16, 1'048'576));
  r.read("checkpoint_every", a.checkpoint_every, uint_in(1, 1'000'000));
  r.read("checkpoint_interval", a.checkpoint_interval, duration_in());
  r.read("sinks", a.sinks, as_sinks);
  return a;
}

}  // namespace sg::config
