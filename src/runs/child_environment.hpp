// The whole environment of a Pulumi child: nothing of the gateway's environment but an allow-list,
// then the variables the executor fixes, then the run's credentials.
//
//   1. kPassedThroughVariables, copied from the gateway's environment where set (locale, time
//      zone, proxies, CA bundle, and PATH so that the CLI finds its plugins and language runtimes);
//   2. HOME = the run directory, PULUMI_HOME = <run dir>/home, PULUMI_DEBUG_COMMANDS=true (needed
//      for --event-log), PULUMI_CI_SYSTEM=stackgate and PULUMI_CI_BUILD_ID=<run id> (Pulumi Cloud
//      records both on the update), PULUMI_SKIP_UPDATE_CHECK=true (no version check per run);
//   3. the credential variables (PULUMI_ACCESS_TOKEN, cloud credentials, …). A credential may
//      replace a passed-through variable (a per-stack proxy, say) but never a fixed one.
//
// The gateway's environment comes in as a value (environment_from(environ) once at start-up), so
// that nothing here reads the process environment. Messages name variables, never their values.
//
// Owner: runs. Pure functions; thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace sg::runs {

// NAME, VALUE pairs in order; within one Environment a name appears once.
using Environment = std::vector<std::pair<std::string, std::string>>;

// What the child may inherit from the gateway's environment, and nothing else.
inline constexpr std::array<std::string_view, 12> kPassedThroughVariables = {
    "PATH",     "LANG",        "LC_ALL",     "TZ",       "HTTPS_PROXY",   "HTTP_PROXY",
    "NO_PROXY", "https_proxy", "http_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR",
};

// What the executor sets and a credential may not.
inline constexpr std::array<std::string_view, 6> kFixedVariables = {
    "HOME",
    "PULUMI_HOME",
    "PULUMI_DEBUG_COMMANDS",
    "PULUMI_CI_SYSTEM",
    "PULUMI_CI_BUILD_ID",
    "PULUMI_SKIP_UPDATE_CHECK",
};

struct RunPaths {
  std::string run_id;       // PULUMI_CI_BUILD_ID
  std::string run_dir;      // HOME
  std::string pulumi_home;  // PULUMI_HOME
};

// The environment described above. Errors: kInvalidArgument when a credential sets a fixed
// variable, a credential name is not [A-Za-z_][A-Za-z0-9_]* or appears twice, a value holds a NUL
// byte, or a run path or the run id is empty.
Result<Environment> build_environment(const Environment& gateway, const RunPaths& paths,
                                      const Environment& credentials);

// NAME=VALUE strings, as a process receives them.
std::vector<std::string> environment_entries(const Environment& env);

// The value of `name`, or nullptr.
const std::string* find_variable(const Environment& env, std::string_view name);

// An environ-style array (NAME=VALUE strings up to a null pointer) as pairs; entries without a
// name and '=' are skipped, and of a name given twice the first is kept (as getenv(3) does).
Environment environment_from(const char* const* envp);

}  // namespace sg::runs
