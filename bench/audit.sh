#!/usr/bin/env bash
# Audit log throughput (issue 5): durable events per second through the writer (group commit on
# SQLite, each batch fsynced before it is answered) and verification events per second, from the store and in memory.
#
#   bench/audit.sh                       EVENTS=200000 WINDOW=512 PRODUCERS=4 by default
#   EVENTS=500000 WINDOW=2048 bench/audit.sh
#   WINDOW=4096 MAX_BATCH=1024 bench/audit.sh      a fixed cap on the events per transaction
#
# The database goes under build/bench (on the same disk as the checkout, not tmpfs) and is removed
# afterwards. Targets: append >= 50,000 events/s, verification >= 500,000 events/s.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS="${EVENTS:-200000}"
WINDOW="${WINDOW:-512}"
PRODUCERS="${PRODUCERS:-4}"
MAX_BATCH="${MAX_BATCH:-0}"
dir=build/bench

scripts/setup.sh --bench
nice cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTACKGATE_BUILD_BENCH=ON >/dev/null
nice cmake --build "$dir" -j "$(nproc)" --target bench_audit >/dev/null

work="$dir/audit-data"
trap 'rm -rf "$work"' EXIT
load_before=$(uptime)
result=$("$dir/bench/bench_audit" "$work" --events "$EVENTS" --window "$WINDOW" --producers "$PRODUCERS" --max-batch "$MAX_BATCH")
load_after=$(uptime)
echo "filesystem: $(df -T "$dir" | awk 'NR==2 {print $2}') · $(nproc) cores"
echo "load before: ${load_before#*load average: }   after: ${load_after#*load average: }"
echo "$result"
node -e '
const r = JSON.parse(process.argv[1]);
const row = (what, v, target) => console.log(`${what.padEnd(34)} ${String(v).padStart(10)}  target ${target}  ${v >= target ? "met" : "MISSED"}`);
row("append (durable events/s)", r.append_events_per_second, 50000);
row("verify from the store (events/s)", r.verify_store_events_per_second, 500000);
row("verify in memory (events/s)", r.verify_memory_events_per_second, 500000);
console.log(`average batch ${r.average_batch.toFixed(1)} events over ${r.commits} commits; ${r.average_event_bytes} bytes an event`);
' "$result"
