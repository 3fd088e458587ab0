#!/usr/bin/env bash
# Issue 18's analytics benchmark (release builds, SQLite): CALLS web calls to a runner that
# answers at once (the call benchmark's), each evaluated after it ends by one analytics block
# against a local model that answers structured output at once (scripts/scripted_model.py). Prints
# the evaluation's overhead beyond the model's own time, p50/p99: from the call's end (the queue
# entry, written in the call's end transaction) to the stored result, minus the model's latency_ms.
# Usage: scripts/bench-analytics.sh [CALLS]      (default 200)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CALLS="${1:-200}"
PORT="${PORT:-8093}"
MODEL_PORT="$((PORT + 10))"
ENGINE=sqlite
BENCH_PRODUCT=call-benchmark
source scripts/bench-server.sh
python3 scripts/scripted_model.py "$MODEL_PORT" &
model_pid=$!
trap 'kill "$model_pid" 2>/dev/null; cleanup' EXIT
SERVE_ARGS="--llm-url http://127.0.0.1:$MODEL_PORT/v1 --llm-model scripted-1"
bench_server_start
API="http://127.0.0.1:$PORT/api/v2/platform/speech/v1"
BLOCK="$(curl -sf -X POST "$API/analytics-blocks" -H "Authorization: Token $KEY" -H "Org-Handle: acme" -H "Content-Type: application/json" \
  -d '{"name":"Bench","prompt":"What happened?","fields":[{"name":"turns","type":"int"},{"name":"mood","type":"enum","choices":["good","bad"]}]}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["block_id"])')"
curl -sf -X POST "$API/analytics-blocks/$BLOCK/attach" -H "Authorization: Token $KEY" -H "Org-Handle: acme" -H "Content-Type: application/json" \
  -d '{"agent_id":"bench-bot"}' >/dev/null
SERVER_PID="$server_pid" "$BIN_DIR/call-benchmark" "http://127.0.0.1:$PORT" "$KEY" acme bench-bot "$CALLS" 1 > "$WORK/calls.txt"
python3 - "$WORK/bench.sqlite" "$CALLS" <<'PY'
import sqlite3, sys, time
path, calls = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
for _ in range(600):
    pending = db.execute("SELECT COUNT(*) FROM analytics_results WHERE status = 'pending'").fetchone()[0]
    if pending == 0:
        break
    time.sleep(0.1)
rows = db.execute("SELECT status, completed_at - created_at, latency_ms FROM analytics_results").fetchall()
ok = [r for r in rows if r[0] == "ok"]
overhead = sorted(total - latency for _, total, latency in ok)
def pct(p): return overhead[min(len(overhead) - 1, int(len(overhead) * p))]
print(f"{len(ok)} of {len(rows)} evaluations ok for {calls} calls ({pending} still pending)")
print(f"analytics overhead beyond the model (call end -> stored result - latency_ms): p50 {pct(0.5)} ms, p99 {pct(0.99)} ms")
print(f"model latency_ms p50 {sorted(r[2] for r in ok)[len(ok) // 2]} ms")
PY
