#!/usr/bin/env bash
# Builds everything and runs every test: format check, unit tests (release and sanitizer builds),
# and the integration tests against the real binary. Installs what is missing first.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== format check"
scripts/build.sh release format-check

echo "== release build and unit tests"
scripts/build.sh release
ctest --test-dir build/release --output-on-failure -j "$(nproc)"

echo "== sanitizer build (ASan + UBSan) and unit tests"
scripts/build.sh asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j "$(nproc)"

echo "== integration tests"
# The real peers' packages (oidc-provider, jose, Backstage): installed when missing or the lock changed.
if [ tests/integration/package-lock.json -nt tests/integration/node_modules/.package-lock.json ]; then
  (cd tests/integration && npm ci --no-audit --no-fund)
fi
STACKGATE_BIN="$PWD/build/release/stackgate" node --test --test-concurrency=1 tests/integration/
