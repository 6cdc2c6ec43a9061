#!/usr/bin/env bash
# Token verifications per second per core: stackgate's uncached verify_jws for RS256, ES256 and
# EdDSA beside `openssl speed` verify rates for rsa2048, ecdsap256 and ed25519 from the same run,
# the parts of an RS256 verification around the signature (parsing the token, checking its claims),
# and the cached path (token cache hits). Prints one table with the ratios and the targets.
#
#   bench/verify.sh                  CORE=1 MIN_TIME=2 REPETITIONS=3 OPENSSL_SECONDS=3 by default
#   CORE=0 MIN_TIME=5 bench/verify.sh
#
# Each benchmark runs REPETITIONS times and the table shows the median; the largest coefficient of
# variation is printed under it, so a run disturbed by other work on the machine is visible.
# Both programs are pinned to the same core with taskset, so the figures are per core; both report
# operations per second of CPU time (openssl speed counts user time, Google Benchmark process CPU
# time), which keeps them comparable when other work shares the machine. Quote the ratios, and the
# load printed with them, rather than the absolute figures.
set -euo pipefail
cd "$(dirname "$0")/.."

CORE="${CORE:-1}"
MIN_TIME="${MIN_TIME:-2}"
REPETITIONS="${REPETITIONS:-3}"
OPENSSL_SECONDS="${OPENSSL_SECONDS:-3}"
dir=build/bench

scripts/setup.sh --bench
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTACKGATE_BUILD_BENCH=ON >/dev/null
cmake --build "$dir" -j "$(nproc)" --target bench_verify >/dev/null

work=$(mktemp -d /tmp/sg-bench-verify-XXXXXX)
trap 'rm -rf "$work"' EXIT

load_before=$(uptime)

taskset -c "$CORE" openssl speed -seconds "$OPENSSL_SECONDS" rsa2048 ecdsap256 ed25519 \
  >"$work/openssl.txt" 2>"$work/openssl.err"
# The last column of each result line is verify/s.
ossl_rsa=$(awk '/^rsa 2048 bits/ {print $NF}' "$work/openssl.txt")
ossl_ec=$(awk '/ecdsa \(nistp256\)/ {print $NF}' "$work/openssl.txt")
ossl_ed=$(awk '/EdDSA \(Ed25519\)/ {print $NF}' "$work/openssl.txt")
if [[ -z "$ossl_rsa" || -z "$ossl_ec" || -z "$ossl_ed" ]]; then
  echo "bench: cannot read the verify/s columns of openssl speed:" >&2
  cat "$work/openssl.txt" "$work/openssl.err" >&2
  exit 1
fi

taskset -c "$CORE" "$dir/bench/bench_verify" --benchmark_min_time="$MIN_TIME" \
  --benchmark_repetitions="$REPETITIONS" --benchmark_report_aggregates_only=true \
  --benchmark_format=json >"$work/bench.json"

load_after=$(uptime)

echo "core $CORE (taskset) · $(openssl version | cut -d' ' -f1-2) · min_time ${MIN_TIME}s × $REPETITIONS (median), openssl -seconds $OPENSSL_SECONDS"
echo "load before: ${load_before#*load average: }   after: ${load_after#*load average: }   ($(nproc) cores)"
echo
OSSL_RS256="$ossl_rsa" OSSL_ES256="$ossl_ec" OSSL_EdDSA="$ossl_ed" node -e '
const fs = require("fs");
const report = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
// With repetitions only aggregates are reported: take the median; a single run reports itself.
const runs = (name) => report.benchmarks.filter((b) => (b.run_name || b.name) === name);
let failed = false;
let worstCv = 0;
const rate = (name) => {
  const all = runs(name);
  const broken = all.find((b) => b.error_occurred);
  if (broken) { console.error(`bench: ${name} failed: ${broken.error_message}`); failed = true; return NaN; }
  const b = all.find((x) => x.aggregate_name === "median") || all.find((x) => x.run_type === "iteration");
  if (!b) { console.error(`bench: ${name} is missing from the results`); failed = true; return NaN; }
  const cv = all.find((x) => x.aggregate_name === "cv");
  if (cv && Number.isFinite(cv.items_per_second)) worstCv = Math.max(worstCv, cv.items_per_second);
  return b.items_per_second;
};
const n = (v) => Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "error";
const r = (v) => Number.isFinite(v) ? v.toFixed(2) : "-";
const mark = (ok) => ok ? "ok" : "MISS";
const row = (cells, widths) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");

const w = [9, 13, 16, 17, 12, 11, 14];
console.log(row(["algorithm", "full verify/s", "signature-only/s", "openssl verify/s",
                 "full/openssl", "sig/openssl", "target >= 0.85"], w));
for (const [alg, ossl] of [["RS256", "rsa2048"], ["ES256", "ecdsap256"], ["EdDSA", "ed25519"]]) {
  const full = rate(`BM_VerifyJws/${alg}`);
  const sig = rate(`BM_VerifySignatureOnly/${alg}`);
  const o = Number(process.env[`OSSL_${alg}`]);
  const ratio = full / o;
  console.log(row([alg, n(full), n(sig), `${n(o)} ${ossl}`, r(ratio), r(sig / o),
                   Number.isFinite(ratio) ? mark(ratio >= 0.85) : "error"], w));
}
console.log();
const w2 = [44, 14, 20];
console.log(row(["RS256 verify without the signature", "ops/s", "µs each"], w2));
for (const [label, name] of [
  ["parse_compact_jws (shape, base64url, header)", "BM_ParseCompactJws/RS256"],
  ["validate_claims_json (claims JSON and rules)", "BM_ValidateClaimsJson"],
]) {
  const v = rate(name);
  console.log(row([label, n(v), Number.isFinite(v) ? (1e6 / v).toFixed(2) : "error"], w2));
}
console.log();
console.log(row(["cached path", "lookups/s", "target >= 1,000,000"], w2));
for (const [label, name, target] of [
  ["TokenCache::get hit (1000 of 10000 entries)", "BM_TokenCacheHit", true],
  ["Authenticator::authenticate, cached", "BM_AuthenticatorCachedPath", true],
  ["Authenticator::authenticate, uncached ES256", "BM_AuthenticatorUncached/ES256", false],
]) {
  const v = rate(name);
  console.log(row([label, n(v), target ? (Number.isFinite(v) ? mark(v >= 1e6) : "error") : "(info)"], w2));
}
console.log();
console.log(`largest coefficient of variation across repetitions: ${(100 * worstCv).toFixed(1)} %`);
if (failed) process.exit(1);
' "$work/bench.json"
