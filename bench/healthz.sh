#!/usr/bin/env bash
# Requests per second on GET /healthz: stackgate against nginx answering `return 200` with the same
# number of worker threads, measured with wrk in the same run; prints both figures and the ratio.
#
#   bench/healthz.sh                 THREADS=2 CONNECTIONS=64 DURATION=10s by default
#   THREADS=4 DURATION=30s bench/healthz.sh
#
# Both servers write an access log to a file, as they would in production. Quote the ratio, not the
# absolute figures: wrk shares the machine's cores with the server under test.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-10s}"
WRK_THREADS="${WRK_THREADS:-2}"

scripts/setup.sh --bench
scripts/build.sh release stackgate >/dev/null

source bench/lib.sh
bench_workdir sg-bench

rps() {  # url → requests/s from wrk
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d2s "$1" >/dev/null  # warm-up
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/^Requests\/sec:/ {print $2}'
}

nginx_port=$(free_port)
mkdir -p "$work/nginx"
user_line=""
(( EUID == 0 )) && user_line="user root;"
cat >"$work/nginx/nginx.conf" <<CONF
$user_line
worker_processes $THREADS;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $work/nginx/access.log;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)

sg_port=$(free_port)
cat >"$work/stackgate.yaml" <<CONF
server:
  listen: "127.0.0.1:$sg_port"
  threads: $THREADS
store: "sqlite://$work/data/stackgate.db"
CONF
build/release/stackgate serve --config "$work/stackgate.yaml" 2>"$work/stackgate.log" &
pids+=($!)

wait_for "http://127.0.0.1:$nginx_port/healthz"
wait_for "http://127.0.0.1:$sg_port/healthz"

nginx_rps=$(rps "http://127.0.0.1:$nginx_port/healthz")
sg_rps=$(rps "http://127.0.0.1:$sg_port/healthz")
ratio=$(awk -v a="$sg_rps" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a / b }')

echo "threads=$THREADS connections=$CONNECTIONS duration=$DURATION wrk_threads=$WRK_THREADS"
echo "nginx      $nginx_rps requests/s"
echo "stackgate  $sg_rps requests/s"
echo "ratio      $ratio (target >= 0.80)"
