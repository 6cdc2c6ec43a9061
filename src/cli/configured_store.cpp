#include "cli/configured_store.hpp"

#include <filesystem>
#include <system_error>

#include "app/store_opener.hpp"
#include "config/loader.hpp"

namespace sg::cli {

std::unique_ptr<store::Store> open_configured_store(const std::string& config_path,
                                                    std::string_view command, std::ostream& err,
                                                    config::Config* config) {
  config::LoadResult loaded = config::load_config_file(config_path);
  for (const config::Diagnostic& d : loaded.diagnostics)
    err << d.to_string() << "\n";
  if (!loaded.config) return nullptr;
  const config::StoreConfig& cfg = loaded.config->store;
  if (cfg.kind == config::StoreConfig::Kind::kSqlite) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(cfg.sqlite_path, ec)) {
      err << command << ": " << cfg.sqlite_path << ": no database file (the store that "
          << config_path << " names does not exist yet; nothing was created)\n";
      return nullptr;
    }
  }
  Result<std::unique_ptr<store::Store>> opened = app::open_store(cfg);
  if (!opened) {
    err << command << ": " << code_name(opened.code()) << ": " << opened.error().message << "\n";
    return nullptr;
  }
  if (config != nullptr) *config = *loaded.config;
  return std::move(opened).value();
}

}  // namespace sg::cli
