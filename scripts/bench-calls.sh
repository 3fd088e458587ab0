#!/usr/bin/env bash
# Issue 17's call benchmark (release builds): web calls to a runner that answers at once: caller
# connected → job.assign and POST sessions/token → job.assign, and the relay of a user turn to the
# runner and of a reply delta back, p50/p99. ENGINE=sqlite (default) or postgres
# (scripts/start-test-postgres.sh).
# With CONCURRENT=N: N calls at once, one turn a second each for TURNS seconds: every turn
# delivered?, the round trip p50/p99, and the server's memory per call.
# With NODES=2 (and ENGINE=postgres): a second node on PORT+1; the runner connects to it and the
# calls are made on the first, so assignments and every frame cross between the nodes.
# Usage: scripts/bench-calls.sh [CALLS] [TURNS]      (defaults 200, 5)
#        CONCURRENT=500 scripts/bench-calls.sh 0 10
#        ENGINE=postgres NODES=2 scripts/bench-calls.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CALLS="${1:-200}"
TURNS="${2:-5}"
PORT="${PORT:-8095}"
BENCH_PRODUCT=call-benchmark
source scripts/bench-server.sh
bench_server_start
if [[ "${NODES:-1}" == 2 ]]; then
  [[ "$ENGINE" == postgres ]] || { echo "NODES=2 needs ENGINE=postgres" >&2; exit 2; }
  "$BIN_DIR/unpod" serve --port "$((PORT + 1))" --database "$DB" --log-level warning > "$WORK/serve2.log" 2>&1 &
  second_pid=$!
  trap 'kill "$second_pid" 2>/dev/null; cleanup' EXIT
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$((PORT + 1))/healthz" >/dev/null && break; sleep 0.1; done
  export RUNNER_URL="http://127.0.0.1:$((PORT + 1))"
fi
SERVER_PID="$server_pid" "$BIN_DIR/call-benchmark" "http://127.0.0.1:$PORT" "$KEY" acme bench-bot "$CALLS" "$TURNS"
