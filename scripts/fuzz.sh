#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang and runs each for FUZZ_SECONDS (default 60).
#   scripts/fuzz.sh [target...]                    every target, or only those named
#   FUZZ_SECONDS=600 scripts/fuzz.sh jws_parse      one target for ten minutes
# Targets: base64url jws_parse jwks_parse strict_json verify (see docs/security.md, "Fuzzing").
#
# Installs clang, the libFuzzer/sanitizer runtimes and the build dependencies when missing (as root
# or through sudo). Builds into build/fuzz; each target fuzzes build/fuzz/corpus/<target>, seeded
# from tests/fuzz/corpus/<target> (the repository's seeds are never written to) and kept between
# runs. Targets run one after another; logs go to build/fuzz/logs/<target>.log and crashing inputs
# to build/fuzz/artifacts/<target>/. Prints one summary line per target and exits non-zero if any
# target crashed (a sanitizer finding, a failed invariant, a timeout or running out of memory).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(base64url jws_parse jwks_parse strict_json verify)
seconds="${FUZZ_SECONDS:-60}"
if [[ ! "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz: FUZZ_SECONDS must be a positive number of seconds, not '$seconds'" >&2
  exit 2
fi
targets=("$@")
if (( ${#targets[@]} == 0 )); then
  targets=("${all_targets[@]}")
fi
for t in "${targets[@]}"; do
  if [[ " ${all_targets[*]} " != *" $t "* ]]; then
    echo "fuzz: unknown target '$t' (one of: ${all_targets[*]})" >&2
    exit 2
  fi
done

scripts/setup.sh --fuzz

dir=build/fuzz
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S tests/fuzz -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
fi
cmake --build "$dir" -j "$(nproc)"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
mkdir -p "$dir/logs"
summary=()
failed=0
for t in "${targets[@]}"; do
  corpus="$dir/corpus/$t"
  artifacts="$dir/artifacts/$t"
  log="$dir/logs/$t.log"
  mkdir -p "$corpus" "$artifacts"
  cp -f tests/fuzz/corpus/"$t"/* "$corpus"/
  echo "== fuzzing $t for ${seconds}s (log: $log)"
  rc=0
  "$dir/${t}_fuzz" -max_total_time="$seconds" -max_len=20000 -timeout=5 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [[ -z "$execs" ]]; then  # no final stats after a crash: the last progress line has "#N"
    execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
  fi
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  if (( rc == 0 )); then
    result="ok"
  else
    failed=1
    result="CRASH (exit $rc): $(grep -m 1 -E '^(==[0-9]+== ?ERROR|SUMMARY|fuzz invariant failed)' "$log" \
      || echo "see $log"); input in $artifacts/"
    tail -n 40 "$log" >&2
  fi
  summary+=("$(printf '%-12s %5ss  %12s execs  cov: %-6s %s' "$t" "$seconds" "${execs:-?}" "${cov:-?}" "$result")")
done

echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
