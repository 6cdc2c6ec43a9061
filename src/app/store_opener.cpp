#include "app/store_opener.hpp"

#include "store/sqlite/sqlite_store.hpp"

namespace sg::app {

Result<std::unique_ptr<store::Store>> open_store(const config::StoreConfig& cfg) {
  switch (cfg.kind) {
    case config::StoreConfig::Kind::kSqlite: {
      auto opened = store::SqliteStore::open({cfg.sqlite_path, cfg.busy_timeout});
      if (!opened) return opened.error();
      return std::unique_ptr<store::Store>(std::move(opened).value());
    }
    case config::StoreConfig::Kind::kPostgres:
      break;
  }
  return make_error(Errc::kInvalidConfig, "PostgreSQL stores are not available in this build yet");
}

}  // namespace sg::app
