#!/usr/bin/env bash
# Builds stackgate and runs it in development mode: loopback only, a temporary SQLite store, and a
# loud insecure banner. Installs what is missing first. Extra arguments go to `stackgate serve`,
# e.g. scripts/serve-dev.sh --listen 127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release stackgate
exec build/release/stackgate serve --dev "$@"
