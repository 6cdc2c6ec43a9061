#!/usr/bin/env bash
# Builds everything and runs every test: format check, unit tests (sanitizer build), and the
# integration tests against the real release binary. Installs what is missing first.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

# The real peers' packages (oidc-provider, jose, Backstage) download while the code compiles:
# installed when missing or when the lock changed.
npm_log="$(mktemp)"
npm_pid=""
if [ tests/integration/package-lock.json -nt tests/integration/node_modules/.package-lock.json ]; then
  (cd tests/integration && npm ci --no-audit --no-fund) >"$npm_log" 2>&1 &
  npm_pid=$!
fi

echo "== format check"
scripts/build.sh release format-check

# The release build is the binary the integration tests run; the unit tests run once, in the
# sanitizer build, where they also catch memory and undefined-behaviour errors.
echo "== release build"
scripts/build.sh release stackgate

echo "== sanitizer build (ASan + UBSan) and unit tests"
scripts/build.sh asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j "$(nproc)"

echo "== integration tests"
if [ -n "$npm_pid" ] && ! wait "$npm_pid"; then
  cat "$npm_log" >&2
  echo "test: npm ci in tests/integration failed" >&2
  exit 1
fi
rm -f "$npm_log"
STACKGATE_BIN="$PWD/build/release/stackgate" node --test --test-concurrency=1 tests/integration/
