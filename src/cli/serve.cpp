#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/app.hpp"
#include "app/dev_policy.hpp"
#include "cli/commands.hpp"
#include "config/loader.hpp"

namespace sg::cli {
namespace {

struct ServeOptions {
  std::string config_path;
  bool dev = false;
  std::string listen;  // --listen override, "host:port"
  std::string pulumi;  // --pulumi override of pulumi.command
  std::string log_level = "info";
};

constexpr const char* kDevBanner = R"(
 ============================================================================
   stackgate is running in DEVELOPMENT MODE - INSECURE
   - listening on loopback only, with a throw-away SQLite store
   - development shortcuts are on; never use this mode for real stacks
 ============================================================================
)";

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]" ||
         host.rfind("127.", 0) == 0;
}

// "host:port" or "[v6]:port" into the server section. Returns false if malformed.
bool apply_listen(const std::string& listen, config::ServerConfig& server) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  std::string host = listen.substr(0, colon);
  std::string port = listen.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  unsigned long p = std::stoul(port);
  if (p > 65535) return false;
  server.listen_host = host;
  server.listen_port = static_cast<std::uint16_t>(p);
  return true;
}

LogLevel parse_level(const std::string& s) {
  if (s == "debug") return LogLevel::kDebug;
  if (s == "warn") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

int run_serve(const ServeOptions& o) {
  if (o.dev == !o.config_path.empty()) {
    std::cerr << "stackgate serve: give exactly one of --config FILE or --dev\n";
    return 2;
  }
  config::Config cfg;
  std::string dev_dir;
  if (o.dev) {
    char tmpl[] = "/tmp/stackgate-dev-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      std::cerr << "stackgate serve: cannot create a temporary folder for the dev store\n";
      return 1;
    }
    dev_dir = tmpl;
    cfg = config::dev_config(dev_dir);
    cfg.policy_path = dev_dir + "/policy.yaml";
    std::ofstream policy(cfg.policy_path);
    policy << app::kDevPolicy;
    if (!policy.flush()) {
      std::cerr << "stackgate serve: cannot write the demo policy to " << cfg.policy_path << "\n";
      return 1;
    }
  } else {
    config::LoadResult loaded = config::load_config_file(o.config_path);
    for (const auto& d : loaded.diagnostics)
      std::cerr << d.to_string() << "\n";
    if (!loaded.config) return 1;
    cfg = std::move(*loaded.config);
  }
  if (!o.listen.empty() && !apply_listen(o.listen, cfg.server)) {
    std::cerr << "stackgate serve: --listen expects host:port, got '" << o.listen << "'\n";
    return 2;
  }
  if (!o.pulumi.empty()) {
    // A path is taken from where the command was given, whatever folder runs start in.
    std::error_code ec;
    cfg.pulumi.command = o.pulumi.find('/') == std::string::npos
                             ? o.pulumi
                             : std::filesystem::absolute(o.pulumi, ec).lexically_normal().string();
  }
  if (o.dev) {
    // The demo projects' folders, so a run has somewhere to start (the Pulumi stand-in of the
    // tests runs anywhere; the real CLI wants a Pulumi.yaml there).
    for (const config::ProjectConfig& p : cfg.projects) {
      std::error_code ec;
      std::filesystem::create_directories(p.dir, ec);
    }
  }
  if (o.dev && !is_loopback(cfg.server.listen_host)) {
    std::cerr << "stackgate serve: --dev listens on loopback only\n";
    return 2;
  }

  app::App::block_signals();  // before any thread starts, so only the main thread gets them
  int code = 1;
  {
    Logger log(STDERR_FILENO, parse_level(o.log_level));
    if (o.dev) {
      std::cerr << kDevBanner << std::flush;
      log.warn("development mode - insecure", {{"data_dir", dev_dir}, {"policy", cfg.policy_path}});
    }
    auto app = app::App::create(cfg, log, {o.dev});
    if (!app) {
      log.error("cannot start", {{"error", app.error().message}});
    } else if (Status s = (*app)->start(); !s) {
      log.error("cannot start", {{"error", s.error().message}});
    } else {
      code = (*app)->run_until_signal();
    }
  }
  if (!dev_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dev_dir, ec);
  }
  return code;
}

}  // namespace

void add_serve(CLI::App& root, int& exit_code) {
  auto opts = std::make_shared<ServeOptions>();
  CLI::App* cmd = root.add_subcommand("serve", "Run the gateway");
  cmd->add_option("--config,-c", opts->config_path, "Path of stackgate.yaml");
  cmd->add_flag("--dev", opts->dev,
                "Development mode: loopback only, temporary SQLite store, insecure shortcuts");
  cmd->add_option("--listen", opts->listen, "Override server.listen (host:port; port 0 = any)");
  cmd->add_option("--pulumi", opts->pulumi,
                  "Override pulumi.command: the Pulumi CLI to run (a name on PATH, or a path)");
  cmd->add_option("--log-level", opts->log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  cmd->callback([opts, &exit_code] { exit_code = run_serve(*opts); });
}

}  // namespace sg::cli
