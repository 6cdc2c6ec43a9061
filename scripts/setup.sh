#!/usr/bin/env bash
# Installs the Debian packages stackgate needs to build, test and benchmark — only those missing.
# Idempotent; runs apt-get as root, or through sudo otherwise.
#   scripts/setup.sh            build + test dependencies
#   scripts/setup.sh --bench    also wrk, nginx and curl for bench/
#   scripts/setup.sh --fuzz     also clang and its libFuzzer runtime for tests/fuzz/
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libyaml-cpp-dev libcli11-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format sqlite3 ca-certificates
)
case "${1:-}" in
  --bench) packages+=(wrk nginx-light curl) ;;
  --fuzz) packages+=(clang libclang-rt-14-dev) ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js 20+ runs the integration tests; the machine may have it from another source than Debian.
node_major=0
if command -v node >/dev/null 2>&1; then
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
fi
if (( node_major < 20 )); then
  missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if (( ${#missing[@]} == 0 )); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=()
if (( EUID != 0 )); then
  command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

if command -v node >/dev/null 2>&1; then
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if (( node_major < 20 )); then
    echo "setup: Node.js $node_major is too old; the integration tests need Node.js 20 or newer" >&2
    exit 1
  fi
fi
