#!/usr/bin/env bash
# Configures and builds one flavour of stackgate into build/<flavour>.
#   scripts/build.sh release [targets...]   optimised build (the binary you run)
#   scripts/build.sh asan [targets...]      AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."

flavour="${1:-release}"
shift || true
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) args=(-DCMAKE_BUILD_TYPE=Debug -DSTACKGATE_SANITIZE=ON) ;;  # -O0 compiles fastest
  *) echo "build: unknown flavour '$flavour' (release or asan)" >&2; exit 2 ;;
esac

# A compiler cache, where one is installed, makes rebuilds across worktrees and flavours cheap.
if command -v ccache >/dev/null; then
  args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

dir="build/$flavour"
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
fi
# Two cores: one compiler per core; Beast translation units need about 1 GB each.
cmake --build "$dir" -j "$(nproc)" ${1:+--target "$@"}
