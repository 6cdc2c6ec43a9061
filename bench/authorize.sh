#!/usr/bin/env bash
# Requests per second on POST /v1/authorize with one repeated valid token: stackgate against a small
# Node.js service (fastify + jose, bench/authorize/server.mjs) that verifies the same ES256 token
# against the same key and evaluates the same rules, measured with wrk in the same run; prints
# both rates, the ratio and whether each answered with the expected decision.
#
#   bench/authorize.sh                THREADS=2 CONNECTIONS=64 DURATION=10s WRK_THREADS=2
#
# Both get THREADS cores' worth of workers (stackgate threads, Node cluster workers). stackgate
# verifies the token once and then serves it from its verified-token cache, as it does in
# production; the Node service verifies on every request, as such services usually do. Quote the
# ratio: wrk shares the machine with the server under test.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-10s}"
WRK_THREADS="${WRK_THREADS:-2}"

scripts/setup.sh --bench
scripts/build.sh release stackgate >/dev/null
if [[ ! -d bench/authorize/node_modules ]] || [[ bench/authorize/package-lock.json -nt bench/authorize/node_modules/.package-lock.json ]]; then
  (cd bench/authorize && npm ci --no-audit --no-fund >/dev/null)
fi

source bench/lib.sh
bench_workdir sg-bench-authz

post() {  # url → the response body of one authorize request
  curl -sS -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $(cat "$work/token.txt")" \
    -d '{"action":"update","stack":"acme/payments/dev"}' "$1/v1/authorize"
}

rps() {  # base url → requests/s from wrk; fails on any non-2xx answer
  local out
  TOKEN_FILE="$work/token.txt" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d2s -s bench/authorize/post.lua "$1/v1/authorize" >/dev/null
  out=$(TOKEN_FILE="$work/token.txt" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/authorize/post.lua "$1/v1/authorize")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "bench: $1 answered with errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

node bench/authorize/mint.mjs "$work"

mkdir -p "$work/payments" "$work/web"
cat >"$work/policy.yaml" <<'POLICY'
roles:
  - name: reader
    rules:
      - allow: [read]
        stacks: ["acme/payments/*"]
  - name: deployer
    rules:
      - allow: [preview, update]
        stacks: ["acme/*/dev"]
        when: { tag.team: "{principal.team}" }
      - allow: [update]
        stacks: ["acme/*/prod"]
        when: { tag.team: "{principal.team}" }
        approval: { approvers: [admin], count: 2 }
      - deny: [destroy]
        stacks: ["*/prod"]
      - allow: [destroy]
        stacks: ["*"]
  - name: admin
    rules:
      - allow: [audit]
        stacks: ["*"]
bindings:
  - { roles: [reader], when: { issuer: bench } }
  - { roles: [deployer], when: { issuer: bench, claim.groups: payments-devs } }
  - { roles: [admin], when: { claim.groups: platform-admins } }
POLICY

sg_port=$(free_port)
cat >"$work/stackgate.yaml" <<CONF
server:
  listen: "127.0.0.1:$sg_port"
  threads: $THREADS
store: "sqlite://$work/data/stackgate.db"
policy: ./policy.yaml
issuers:
  - name: bench
    kind: jwks
    issuer: "https://bench.stackgate.invalid"
    jwks_file: ./jwks.json
    audiences: [stackgate]
    algorithms: [ES256]
    types: [at+jwt]
    principal_kind: machine
    claims: { groups: groups, team: team }
projects:
  - org: acme
    name: payments
    dir: ./payments
    stacks:
      - { name: dev, tags: { team: payments, env: dev } }
      - { name: prod, tags: { team: payments, env: prod } }
  - org: acme
    name: web
    dir: ./web
    stacks:
      - { name: dev, tags: { team: web } }
CONF
build/release/stackgate serve --config "$work/stackgate.yaml" 2>"$work/stackgate.log" &
pids+=($!)

node_port=$(free_port)
THREADS="$THREADS" PORT="$node_port" JWKS="$work/jwks.json" node bench/authorize/server.mjs &
pids+=($!)

wait_for "http://127.0.0.1:$sg_port/healthz"
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$node_port/" && break; sleep 0.1; done

sg_answer=$(post "http://127.0.0.1:$sg_port")
node_answer=$(post "http://127.0.0.1:$node_port")
for answer in "$sg_answer" "$node_answer"; do
  if ! grep -q '"decision":"allow"' <<<"$answer"; then
    echo "bench: unexpected answer: $answer" >&2
    exit 1
  fi
done

node_rps=$(rps "http://127.0.0.1:$node_port")
sg_rps=$(rps "http://127.0.0.1:$sg_port")
ratio=$(awk -v a="$sg_rps" -v b="$node_rps" 'BEGIN { printf "%.1f", a / b }')

echo "threads=$THREADS connections=$CONNECTIONS duration=$DURATION wrk_threads=$WRK_THREADS   load: $(uptime | sed 's/.*load average: //')"
echo "node (fastify + jose)  $node_rps requests/s"
echo "stackgate              $sg_rps requests/s"
echo "ratio                  $ratio (target >= 5)"
