#!/usr/bin/env bash
# Issue 18's webhook benchmark (release builds, SQLite, one node), against a local receiver that
# checks every signature (scripts/bench_webhook_receiver.py):
# 1. call end → first delivery attempt: CALLS web calls to a runner that answers at once (the
#    call benchmark's); from each call's end (calls.ended_at, written with its call.ended event)
#    to that event's arrival at the receiver, p50/p99;
# 2. signed deliveries per second from one node: ENDPOINTS more endpoints, each replaying every
#    message so far (2 per call: call.started and call.ended), delivered as fast as the node can.
# Usage: scripts/bench-webhooks.sh [CALLS] [ENDPOINTS]      (defaults 200, 10)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CALLS="${1:-200}"
ENDPOINTS="${2:-10}"
PORT="${PORT:-8091}"
RECEIVER_PORT="$((PORT + 10))"
ENGINE=sqlite
BENCH_PRODUCT=call-benchmark
source scripts/bench-server.sh
echo '{}' > "$WORK/secrets.json"
python3 scripts/bench_webhook_receiver.py "$RECEIVER_PORT" "$WORK/secrets.json" "$WORK/arrivals.log" &
receiver_pid=$!
trap 'kill "$receiver_pid" 2>/dev/null; cleanup' EXIT
SERVE_ARGS="--webhooks-allow-private"
bench_server_start
API="http://127.0.0.1:$PORT/api/v2/platform/webhook-endpoints/"
endpoint() { # PATH EVENTS_JSON → "id secret"
  curl -sf -X POST "$API" -H "Authorization: Token $KEY" -H "Org-Handle: acme" -H "Content-Type: application/json" \
    -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT$1\",\"events\":$2}" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d["endpoint"]["endpoint_id"], d["secret"])'
}
add_secret() { python3 - "$WORK/secrets.json" "$1" "$2" <<'PY'
import json, sys
path, name, secret = sys.argv[1:]
secrets = json.load(open(path)); secrets[name] = [secret]; json.dump(secrets, open(path, "w"))
PY
}
read -r _ LATENCY_SECRET <<< "$(endpoint /latency '["call.ended"]')"
add_secret /latency "$LATENCY_SECRET"
SERVER_PID="$server_pid" "$BIN_DIR/call-benchmark" "http://127.0.0.1:$PORT" "$KEY" acme bench-bot "$CALLS" 1 > "$WORK/calls.txt"
sleep 2
IDS=()
for index in $(seq 1 "$ENDPOINTS"); do
  read -r id secret <<< "$(endpoint "/bulk/$index" '[]')"
  add_secret "/bulk/$index" "$secret"
  IDS+=("$id")
done
for id in "${IDS[@]}"; do
  curl -sf -X POST "$API$id/replay/" -H "Authorization: Token $KEY" -H "Org-Handle: acme" -H "Content-Type: application/json" \
    -d '{"since":"2000-01-01T00:00:00Z"}' >/dev/null
done
python3 - "$WORK/bench.sqlite" "$WORK/arrivals.log" "$CALLS" "$ENDPOINTS" <<'PY'
import sqlite3, sys, time
path, log, calls, endpoints = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = sqlite3.connect(path)
messages = db.execute("SELECT COUNT(*) FROM webhook_messages").fetchone()[0]
expected = messages * endpoints
for _ in range(1200):
    rows = [line.split() for line in open(log)]
    bulk = [row for row in rows if row[1].startswith("/bulk/")]
    if len(bulk) >= expected:
        break
    time.sleep(0.1)
ended = dict(db.execute("SELECT call_id, ended_at FROM calls WHERE ended_at IS NOT NULL").fetchall())
latency = sorted(float(row[0]) - ended[row[3]] for row in rows if row[1] == "/latency" and row[3] in ended)
def pct(values, p): return values[min(len(values) - 1, int(len(values) * p))]
bad = sum(1 for row in rows if row[4] != "1")
print(f"call end -> first delivery attempt at the receiver: {len(latency)} calls, p50 {pct(latency, 0.5):.1f} ms, p99 {pct(latency, 0.99):.1f} ms, max {latency[-1]:.1f} ms")
span = (max(float(row[0]) for row in bulk) - min(float(row[0]) for row in bulk)) / 1000
print(f"signed deliveries from one node: {len(bulk)} of {expected} in {span:.2f} s = {len(bulk) / span:.0f}/s ({endpoints} endpoints x {messages} messages)")
print(f"signatures that did not verify: {bad} of {len(rows)}")
PY
