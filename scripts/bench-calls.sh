#!/usr/bin/env bash
# Issue 17's call benchmark (release builds): web calls to a runner that answers at once: caller
# connected → job.assign and POST sessions/token → job.assign, and the relay of a user turn to the
# runner and of a reply delta back, p50/p99. ENGINE=sqlite (default) or postgres
# (scripts/start-test-postgres.sh).
# With CONCURRENT=N: N calls at once, one turn a second each for TURNS seconds: every turn
# delivered?, the round trip p50/p99, and the server's memory per call.
# Usage: scripts/bench-calls.sh [CALLS] [TURNS]      (defaults 200, 5)
#        CONCURRENT=500 scripts/bench-calls.sh 0 10
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CALLS="${1:-200}"
TURNS="${2:-5}"
PORT="${PORT:-8095}"
BENCH_PRODUCT=call-benchmark
source scripts/bench-server.sh
bench_server_start
SERVER_PID="$server_pid" "$BIN_DIR/call-benchmark" "http://127.0.0.1:$PORT" "$KEY" acme bench-bot "$CALLS" "$TURNS"
