#!/usr/bin/env bash
# Issue 17's call benchmark (release builds): web calls to a runner that answers at once: caller
# connected → job.assign and POST sessions/token → job.assign, and the relay of a user turn to the
# runner and of a reply delta back, p50/p99. ENGINE=sqlite (default) or postgres
# (scripts/start-test-postgres.sh).
# Usage: scripts/bench-calls.sh [CALLS] [TURNS]      (defaults 200, 5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CALLS="${1:-200}"
TURNS="${2:-5}"
PORT="${PORT:-8095}"
BENCH_PRODUCT=call-benchmark
source scripts/bench-server.sh
bench_server_start
"$BIN_DIR/call-benchmark" "http://127.0.0.1:$PORT" "$KEY" acme bench-bot "$CALLS" "$TURNS"
