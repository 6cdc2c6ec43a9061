// BuildInfo describes the binary: version, git commit, build type and whether sanitizers are on.
// The definition is generated at configure time (cmake/Version.cmake). Immutable; thread-safe.
#pragma once

namespace sg {

struct BuildInfo {
  const char* version;
  const char* commit;
  const char* build_type;
  bool sanitized;
};

const BuildInfo& build_info();

}  // namespace sg
