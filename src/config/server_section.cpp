// The `server` and `store` sections.
#include <utility>

#include "common/json_text.hpp"
#include "config/fields.hpp"
#include "config/locations.hpp"
#include "config/sections.hpp"

namespace sg::config {
namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kGiB = 1024 * kMiB;

std::string url_host(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

// Fills `store` from a store URL; never quotes a password back.
void apply_store_url(Context& ctx, const Value& v, StoreConfig& store) {
  const std::string text = v.node.IsScalar() ? v.node.Scalar() : "";
  auto url = parse_url(text);
  std::string scheme = url ? url->scheme : text.substr(0, text.find("://"));
  if (scheme == "postgres" || scheme == "postgresql") {
    ctx.error(v, "PostgreSQL stores are not available in this build yet (use sqlite://)");
  } else if (text.starts_with("sqlite://") && text.size() > 9) {
    store.kind = StoreConfig::Kind::kSqlite;
    store.sqlite_path = ctx.absolute(std::string_view(text).substr(9));
    store.url = text;
  } else {
    ctx.error(v, "expected a store URL like sqlite://./data/stackgate.db, got " +
                     (v.node.IsScalar() ? json_quote(redact_url(text)) : describe(v.node)));
  }
}

}  // namespace

std::optional<ServerConfig> read_server(Context& ctx, const Value& v) {
  ServerConfig s;
  ObjectReader r(ctx, v);
  std::optional<ListenAddress> listen;
  r.read("listen", listen, as_listen);
  r.read("public_url", s.public_url, as_http_url);
  r.read("threads", s.threads, uint_in(0, 1024));
  r.read("max_header_bytes", s.max_header_bytes, size_in(kKiB, kMiB));
  r.read("max_body_bytes", s.max_body_bytes, size_in(0, kGiB));
  for (auto [key, field] : {std::pair{"read_timeout", &s.read_timeout},
                            {"idle_timeout", &s.idle_timeout},
                            {"write_timeout", &s.write_timeout},
                            {"shutdown_grace", &s.shutdown_grace}}) {
    r.read(key, *field, duration_in());
  }
  r.read("max_connections", s.max_connections, uint_in(1, 1'000'000));
  r.read("access_log", s.access_log, as_bool);
  if (listen) {
    s.listen_host = listen->host;
    s.listen_port = listen->port;
    if (!r.has("public_url")) {
      s.public_url = "http://" + url_host(listen->host) + ":" + std::to_string(listen->port);
    }
  }
  return s;
}

StoreConfig default_store(const Context& ctx) {
  StoreConfig s;
  s.sqlite_path = ctx.absolute("data/stackgate.db");
  s.url = "sqlite://" + s.sqlite_path;
  return s;
}

std::optional<StoreConfig> read_store(Context& ctx, const Value& v) {
  StoreConfig s = default_store(ctx);
  if (!v.node.IsMap()) {
    apply_store_url(ctx, v, s);
    return s;
  }
  ObjectReader r(ctx, v);
  if (auto url = r.get("url", Need::kRequired)) apply_store_url(ctx, *url, s);
  r.read("busy_timeout", s.busy_timeout,
         duration_in(Duration(0), Duration(std::chrono::minutes(1))));
  return s;
}

}  // namespace sg::config
