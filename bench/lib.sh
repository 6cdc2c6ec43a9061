# Shared helpers for the bench/*.sh scripts; source it after `cd` to the repository root.
#   bench_workdir PREFIX   sets $work (a temporary folder removed on exit) and kills $pids on exit
#   free_port              prints a free loopback TCP port
#   wait_for URL           waits up to 10 s for URL to answer 2xx, else exits 1

bench_workdir() {
  work=$(mktemp -d "/tmp/$1-XXXXXX")
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for() {
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: $1 did not come up" >&2
  exit 1
}
