#!/usr/bin/env bash
# Policy decision latency: stackgate's evaluate() and verdict_of() over a generated policy of 10,000
# rules and 5,000 stacks, beside the same decisions in Cedar (@cedar-policy/cedar-wasm under Node),
# every decision timed on its own; prints one table with medians, p99s, the ratio and the targets.
#
#   bench/policy.sh                  CORE=1 QUERIES=1000 MIN_DECISIONS=200000 by default
#   CORE=0 QUERIES=2000 bench/policy.sh
#
# bench/policy/generate.mjs writes the policy (ours and Cedar's), stacks, principals and QUERIES
# queries with their reference verdicts into a temporary directory. bench_policy times at least
# MIN_DECISIONS decisions (the queries, repeated) and fails on any verdict that differs from the
# reference; cedar_bench.mjs runs every query once — Cedar takes ~0.2 s a decision with 10,000
# policies, hence the small default — and fails on any disagreement with stackgate. Both are pinned
# to core CORE with taskset. Other work on the machine shows in every figure, most in the tails:
# read them with the load printed beside them, and run the script twice.
set -euo pipefail
cd "$(dirname "$0")/.."

CORE="${CORE:-1}"
QUERIES="${QUERIES:-1000}"
MIN_DECISIONS="${MIN_DECISIONS:-200000}"
dir=build/bench

scripts/setup.sh --bench
# npm records what it installed in node_modules/.package-lock.json: reinstall when the lockfile is newer.
if [[ ! bench/policy/node_modules/.package-lock.json -nt bench/policy/package-lock.json ]]; then
  (cd bench/policy && npm ci --no-audit --no-fund --loglevel=error)
fi
nice cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTACKGATE_BUILD_BENCH=ON >/dev/null
nice cmake --build "$dir" -j "$(nproc)" --target bench_policy >/dev/null

work=$(mktemp -d /tmp/sg-bench-policy-XXXXXX)
trap 'rm -rf "$work"' EXIT

generated=$(node bench/policy/generate.mjs "$work" --queries "$QUERIES")
load_before=$(uptime)
taskset -c "$CORE" "$dir/bench/bench_policy" "$work" --min-decisions "$MIN_DECISIONS" \
  --verdicts "$work/verdicts.txt" --json "$work/stackgate.json" >"$work/stackgate.txt"
taskset -c "$CORE" node bench/policy/cedar_bench.mjs "$work" --verdicts "$work/verdicts.txt" \
  --json "$work/cedar.json" >"$work/cedar.txt"
load_after=$(uptime)

echo "$generated"
echo "core $CORE (taskset) · cedar-wasm $(node -p 'require(process.argv[1]).cedar' "$work/cedar.json") · Node $(node -p process.versions.node)"
echo "load before: ${load_before#*load average: }   after: ${load_after#*load average: }   ($(nproc) cores)"
echo
node -e '
const fs = require("fs");
const sg = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const cedar = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const us = (ns) => (ns < 1e5 ? (ns / 1e3).toFixed(2) : Math.round(ns / 1e3).toLocaleString("en-US"));
const rate = (s) => Math.round(s.per_second).toLocaleString("en-US");
const row = (cells, widths) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
const w = [36, 9, 12, 12, 12, 13];
console.log(row(["µs per decision", "n", "median", "p99", "p99.9", "decisions/s"], w));
for (const [label, s] of [["stackgate evaluate() (explained)", sg.evaluate],
                          ["stackgate verdict_of() (roles given)", sg.verdict_of],
                          ["stackgate roles_of() alone", sg.roles_of],
                          ["Cedar statefulIsAuthorized", cedar.decide],
                          ["Cedar, empty policy set (floor)", cedar.empty_policy_set]]) {
  console.log(row([label, s.n, us(s.median_ns), us(s.p99_ns), us(s.p999_ns), rate(s)], w));
}
console.log();
const ok = (b) => (b ? "ok" : "MISS");
const ratio = (a, b) => (b / a).toLocaleString("en-US", { maximumFractionDigits: 0 });
for (const [label, s] of [["evaluate()", sg.evaluate], ["verdict_of()", sg.verdict_of]]) {
  console.log(`${label.padEnd(13)} median < 5 µs: ${ok(s.median_ns < 5000)}   p99 < 50 µs: ${ok(s.p99_ns < 50000)}` +
    `   Cedar / stackgate: median ${ratio(s.median_ns, cedar.decide.median_ns)}×, p99 ${ratio(s.p99_ns, cedar.decide.p99_ns)}×` +
    ` (target >= 10×: ${ok(cedar.decide.median_ns >= 10 * s.median_ns)})`);
}
console.log(`rule index: a decision walks ${sg.globs_visited} globs, ${sg.globs_of_held_roles} of them of roles the principal holds`);
console.log(`policy load: stackgate ${sg.load_ms.toFixed(0)} ms (YAML, ${sg.rules} rules), Cedar ${cedar.load_ms.toFixed(0)} ms (${cedar.policies} policies)`);
console.log(`verdicts: ${sg.queries} queries, stackgate = reference = Cedar on every one (fnv1a ${sg.verdicts_fnv1a}); clock ${sg.clock_ns} ns per sample`);
' "$work/stackgate.json" "$work/cedar.json"
