// One reader per top-level section of stackgate.yaml, each a converter for ObjectReader::read.
//
// Every reader returns its section with the defaults of config.hpp for whatever is absent, and
// reports each problem into the Context (so a returned section is only usable when the load ended
// without diagnostics). Internal to src/config/; not thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace sg::config {

std::optional<ServerConfig> read_server(Context& ctx, const Value& v);
std::optional<StoreConfig> read_store(Context& ctx, const Value& v);
std::optional<std::vector<IssuerConfig>> read_issuers(Context& ctx, const Value& v);
std::optional<TokensConfig> read_tokens(Context& ctx, const Value& v);
std::optional<PulumiConfig> read_pulumi(Context& ctx, const Value& v);
std::optional<std::vector<ProjectConfig>> read_projects(Context& ctx, const Value& v);
std::optional<CredentialsConfig> read_credentials(Context& ctx, const Value& v);
std::optional<CatalogConfig> read_catalog(Context& ctx, const Value& v);
std::optional<AuditConfig> read_audit(Context& ctx, const Value& v);

// The store used when the file has no `store`: SQLite at <config dir>/data/stackgate.db.
StoreConfig default_store(const Context& ctx);

}  // namespace sg::config
