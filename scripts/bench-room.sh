#!/usr/bin/env bash
# A room of 200 participants on one node where one participant sends 100 messages a second for
# 10 s (issue 7): delivery p50/p99 (send to receipt, one clock) and the server's memory per
# participant (PSS before and after they joined). Release builds; SQLite.
# Usage: scripts/bench-room.sh [PARTICIPANTS] [RATE] [SECONDS]      Environment: PORT (default 8093).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8093}"
swift build -c release --product unpod >&2
swift build -c release --product room-benchmark >&2
BIN_DIR="$(swift build -c release --show-bin-path)"
WORK="$(mktemp -d)"
DB="sqlite:$WORK/room.sqlite"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
"$BIN_DIR/unpod" users create --email room@example.com --database "$DB" >/dev/null
"$BIN_DIR/unpod" orgs create --handle acme --name Acme --owner room@example.com --database "$DB" >/dev/null
KEY_JSON="$("$BIN_DIR/unpod" keys create --email room@example.com --org acme --json --database "$DB")"
KEY_ID="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])' <<<"$KEY_JSON")"
SECRET="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <<<"$KEY_JSON")"
"$BIN_DIR/unpod" serve --port "$PORT" --database "$DB" --log-level warning > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 1
"$BIN_DIR/room-benchmark" "ws://127.0.0.1:$PORT" "$KEY_ID" "$SECRET" "$server_pid" "${1:-200}" "${2:-100}" "${3:-10}"
