#!/usr/bin/env bash
# A room of 200 participants where one participant sends 100 messages a second for 10 s (issue 7):
# delivery p50/p99 (send to receipt, one clock) and the servers' memory per participant (PSS
# before and after they joined). Release builds. NODES=1 (default): one server on SQLite.
# NODES=2: two servers on one PostgreSQL database (scripts/start-test-postgres.sh), listeners
# alternating between them, the sender on the first, events relayed through PostgreSQL.
# Usage: scripts/bench-room.sh [PARTICIPANTS] [RATE] [SECONDS]      Environment: NODES, PORT (8093).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8093}"
NODES="${NODES:-1}"
swift build -c release --product unpod >&2
swift build -c release --product room-benchmark >&2
BIN_DIR="$(swift build -c release --show-bin-path)"
WORK="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
if [[ "$NODES" == 2 ]]; then
  CLUSTER="$(scripts/start-test-postgres.sh)"
  NAME="unpod_room_bench_$$"
  psql "$CLUSTER" -qc "CREATE DATABASE $NAME" >/dev/null
  DB="${CLUSTER/\/postgres\?/\/$NAME?}"
  export UNPOD_MASTER_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export UNPOD_PEPPER="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
else
  DB="sqlite:$WORK/room.sqlite"
fi
"$BIN_DIR/unpod" users create --email room@example.com --database "$DB" >/dev/null
"$BIN_DIR/unpod" orgs create --handle acme --name Acme --owner room@example.com --database "$DB" >/dev/null
KEY_JSON="$("$BIN_DIR/unpod" keys create --email room@example.com --org acme --json --database "$DB")"
KEY_ID="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])' <<<"$KEY_JSON")"
SECRET="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <<<"$KEY_JSON")"
urls=()
for ((n = 0; n < NODES; n++)); do
  port=$((PORT + n))
  "$BIN_DIR/unpod" serve --port "$port" --database "$DB" --log-level warning > "$WORK/serve-$n.log" 2>&1 &
  pids+=($!)
  urls+=("ws://127.0.0.1:$port")
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
done
sleep 1
"$BIN_DIR/room-benchmark" "$(IFS=,; echo "${urls[*]}")" "$KEY_ID" "$SECRET" "$(IFS=,; echo "${pids[*]}")" \
  "${1:-200}" "${2:-100}" "${3:-10}"
if [[ "$NODES" == 2 ]]; then psql "$CLUSTER" -qc "DROP DATABASE $NAME WITH (FORCE)" >/dev/null; fi
