#!/usr/bin/env bash
# Access tokens both ways with LiveKit's own Python SDK (issue 7): starts a server built from this
# commit on a fresh database, makes a key with `unpod keys create --json`, and runs
# scripts/livekit/interop.py (livekit-api 1.2.2 in a virtualenv, see scripts/livekit-venv.sh).
# Usage: scripts/livekit-interop.sh       Environment: PORT (default 8097).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8097}"
PYTHON="$(scripts/livekit-venv.sh)"
swift build --product unpod >&2
BIN="$(swift build --show-bin-path)/unpod"
WORK="$(mktemp -d)"
DB="sqlite:$WORK/livekit.sqlite"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" users create --email rtc@example.com --database "$DB" >/dev/null
"$BIN" orgs create --handle acme --name Acme --owner rtc@example.com --database "$DB" >/dev/null
KEY_JSON="$("$BIN" keys create --email rtc@example.com --name livekit --org acme --json --database "$DB")"
KEY_ID="$("$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["key_id"])' <<<"$KEY_JSON")"
TOKEN="$("$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["token"])' <<<"$KEY_JSON")"
"$BIN" serve --port "$PORT" --database "$DB" --log-level warning > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

"$PYTHON" scripts/livekit/interop.py "$BIN" "http://127.0.0.1:$PORT" "$KEY_ID" "$TOKEN" acme
if grep -q "$TOKEN" "$WORK/serve.log"; then echo "FAIL the server logged the API token" >&2; exit 1; fi
