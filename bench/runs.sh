#!/usr/bin/env bash
# Run service (issue 7): dispatch overhead (request → child started), 1,000 queued runs over 100
# stacks drained with the scheduler's rule checked, and Server-Sent Events fan-out to 100 readers.
#
#   bench/runs.sh                      DISPATCH_RUNS=500 DRAIN_RUNS=1000 STACKS=100
#                                      MAX_CONCURRENT=16 TIGHT_LIMIT=4 EVENTS=2000
#                                      SUBSCRIBERS=100 INTERVAL_US=5000 SLOW_MS=20
#   ONLY=drain bench/runs.sh           one part: dispatch, drain or fanout
#   DATA=/dev/shm/runs bench/runs.sh   the database elsewhere (tmpfs: the cost without fsync)
#
# The gateway's database goes under build/bench (on the same disk as the checkout, not tmpfs:
# every commit is an fsync), or in DATA, and is removed afterwards. The fan-out run cycles
# Pulumi's own event lines from ../shared/reference/pulumi-event-log-samples.jsonl when it is
# there (SAMPLES=FILE to choose), else synthetic ones. Fails if any rule is broken or any reader
# misses an event.
set -euo pipefail
cd "$(dirname "$0")/.."

DISPATCH_RUNS="${DISPATCH_RUNS:-500}"
DRAIN_RUNS="${DRAIN_RUNS:-1000}"
STACKS="${STACKS:-100}"
MAX_CONCURRENT="${MAX_CONCURRENT:-16}"
TIGHT_LIMIT="${TIGHT_LIMIT:-4}"
EVENTS="${EVENTS:-2000}"
SUBSCRIBERS="${SUBSCRIBERS:-100}"
INTERVAL_US="${INTERVAL_US:-5000}"
SLOW_MS="${SLOW_MS:-20}"
SAMPLES="${SAMPLES:-../shared/reference/pulumi-event-log-samples.jsonl}"
ONLY="${ONLY:-}"
dir=build/bench

scripts/setup.sh --bench
nice cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTACKGATE_BUILD_BENCH=ON >/dev/null
nice cmake --build "$dir" -j "$(nproc)" --target bench_runs >/dev/null

work="${DATA:-$dir/runs-data}"
trap 'rm -rf "$work"' EXIT
args=("$work" --dispatch-runs "$DISPATCH_RUNS" --drain-runs "$DRAIN_RUNS" --stacks "$STACKS"
  --max-concurrent "$MAX_CONCURRENT" --tight-limit "$TIGHT_LIMIT" --events "$EVENTS"
  --subscribers "$SUBSCRIBERS" --interval-us "$INTERVAL_US" --slow-ms "$SLOW_MS")
[[ -f "$SAMPLES" ]] && args+=(--samples "$SAMPLES")
[[ -n "$ONLY" ]] && args+=(--only "$ONLY")
load_before=$(uptime)
status=0
result=$("$dir/bench/bench_runs" "${args[@]}") || status=$?
load_after=$(uptime)
echo "filesystem: $(df -T "$(dirname "$work")" | awk 'NR==2 {print $2}') · $(nproc) cores"
echo "load before: ${load_before#*load average: }   after: ${load_after#*load average: }"
echo "$result"
node -e '
const r = JSON.parse(process.argv[1]);
const num = (n) => n.toLocaleString("en-US");
const row = (what, d) => console.log(`  ${what.padEnd(60)} ${num(d.median).padStart(8)} ${num(d.p99).padStart(8)}`);
row("fsync(2) of a 4 KiB write, this disk (µs)", r.fsync_4k_us);
if (r.dispatch) {
  console.log(`\ndispatch: request → child started, ${r.dispatch.stand_in.runs} runs one at a time (µs)       median      p99`);
  for (const [name, what] of [["stand_in", "stand-in execution (its run() entered)"], ["bin_true", "real executor spawning /bin/true (started callback)"]]) {
    const d = r.dispatch[name];
    row(what, d.total_us);
    row("  create(): run.created durable, the run inserted", d.create_us);
    row("  create() returned → the worker asks for the execution", d.to_worker_us);
    row("  → started", d.to_start_us);
    row("  (one audit commit of run.started, alone)", d.commits.audit_us);
    row("  (one Store::update_run, alone)", d.commits.update_us);
  }
}
if (r.drain) {
  const a = r.drain.as_is;
  console.log(`\ndrain: ${num(a.runs)} runs over ${a.stacks} stacks (${a.previews} previews; at most ${a.longest_stack_mutating_runs} mutating runs on one stack), max_concurrent_runs ${a.max_concurrent}, all queued before the start (${(a.create_ms / 1000).toFixed(1)} s)`);
  for (const [name, what] of [["as_is", "as the service is"], ["poked", "dispatcher poked when a run finishes"], ["poked_tight", `… and max_concurrent_runs ${r.drain.poked_tight.max_concurrent}`]]) {
    const d = r.drain[name];
    console.log(`  ${what.padEnd(38)} ${(d.drain_ms / 1000).toFixed(2).padStart(7)} s ${d.runs_per_second.toFixed(1).padStart(7)} runs/s  max running ${d.max_running_seen}  violations: limit ${d.limit_violations}, overlap ${d.overlap_violations}, order ${d.order_violations}`);
  }
}
if (r.fanout) {
  const f = r.fanout;
  console.log(`\nfan-out: ${num(f.events)} events (${f.source}, ${f.average_line_bytes} bytes on average), one every ${f.interval_us} µs`);
  const run = (what, d) => console.log(`  ${what.padEnd(26)} run ${(d.run_ms / 1000).toFixed(2)} s; append median ${num(d.append_us.median)} µs, p99 ${num(d.append_us.p99)} µs`);
  const live = (d) => console.log(`  ${"".padEnd(26)} delivery median ${num(d.latency_us.median)} µs, p99 ${num(d.latency_us.p99)} µs; read() median ${num(d.read_us.median)} µs, ${(f.events * f.subscribers / d.reads).toFixed(1)} events a read; ${num(d.delivered_per_second)} events×readers/s; mismatches ${d.mismatches}`);
  run("nobody reading", f.alone);
  const order = [["live", 0], ["slow", 0], ["slow", 1], ["live", 1]];
  for (const [kind, i] of order) {
    const d = f[kind][i];
    run(kind === "live" ? `${f.subscribers} readers` : `${f.subscribers} readers + 1 slow`, d);
    live(d);
    if (kind === "slow") console.log(`  ${"".padEnd(26)} the slow reader (${d.slow_pause_ms} ms after each read) done ${(d.slow_done_after_run_ms / 1000).toFixed(2)} s after the run; mismatches ${d.slow_mismatches}`);
  }
  console.log(`  replay of the finished run by ${f.subscribers} readers at once: ${(f.replay.duration_us / 1000).toFixed(1)} ms, ${num(f.replay.delivered_per_second)} events×readers/s, mismatches ${f.replay.mismatches}`);
}
' "$result"
exit "$status"
