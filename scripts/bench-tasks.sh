#!/usr/bin/env bash
# Issue 9's task benchmarks (release builds): the create call with 1,000 documents (time, requests
# per second), then dispatch with WORKERS workers that answer at once (throughput, latency from the
# create call to each assignment). ENGINE=sqlite (default) or postgres (scripts/start-test-postgres.sh).
# Usage: scripts/bench-tasks.sh [CREATES] [WORKERS] [TASKS]      (defaults 10, 4, 2000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CREATES="${1:-10}"
WORKERS="${2:-4}"
TASKS="${3:-2000}"
PORT="${PORT:-8096}"
BENCH_PRODUCT=dispatch-benchmark
source scripts/bench-server.sh
SPACE="$("$BIN_DIR/unpod" spaces create --org acme --name Bench --database "$DB" | tail -n 1)"
bench_server_start
"$BIN_DIR/dispatch-benchmark" "http://127.0.0.1:$PORT" "$KEY" "$SPACE" bench-bot "$CREATES" "$WORKERS" "$TASKS"
