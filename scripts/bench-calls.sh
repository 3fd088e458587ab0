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
ENGINE="${ENGINE:-sqlite}"
PORT="${PORT:-8095}"
swift build -c release --product unpod >&2
swift build -c release --product call-benchmark >&2
BIN_DIR="$(swift build -c release --show-bin-path)"
WORK="$(mktemp -d)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
if [[ "$ENGINE" == postgres ]]; then
  CLUSTER="$(scripts/start-test-postgres.sh)"
  NAME="unpod_call_bench_$$"
  psql "$CLUSTER" -qc "CREATE DATABASE $NAME" >/dev/null
  DB="${CLUSTER/\/postgres\?/\/$NAME?}"
  export UNPOD_MASTER_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export UNPOD_PEPPER="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
else
  DB="sqlite:$WORK/calls.sqlite"
fi
"$BIN_DIR/unpod" users create --email bench@example.com --database "$DB" >/dev/null
"$BIN_DIR/unpod" orgs create --handle acme --name Acme --owner bench@example.com --database "$DB" >/dev/null
"$BIN_DIR/unpod" agents create --org acme --handle bench-bot --name Bench --publish --database "$DB" >/dev/null
KEY="$("$BIN_DIR/unpod" keys create --email bench@example.com --org acme --name bench --database "$DB" | tail -n 1)"
"$BIN_DIR/unpod" serve --port "$PORT" --database "$DB" --log-level warning > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
echo "engine: $ENGINE"
"$BIN_DIR/call-benchmark" "http://127.0.0.1:$PORT" "$KEY" acme bench-bot "$CALLS" "$TURNS"
