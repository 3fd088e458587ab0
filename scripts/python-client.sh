#!/usr/bin/env bash
# The real Python client against this server (issue 6): installs `unpod==0.5.0` from PyPI into a
# virtual environment (it asks for Python 3.12 and runs on 3.11, hence --ignore-requires-python),
# starts a server built from this commit on a fresh database, and runs
# scripts/python_client_check.py with UNPOD_PLATFORM_TOKEN, UNPOD_ORG_HANDLE and
# UNPOD_PLATFORM_BASE_URL set, as a user of the client would.
#
# Usage: scripts/python-client.sh     Environment: UNPOD_PYTHON_CLIENT_VENV, PORT (default 8098).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8098}"
VENV="${UNPOD_PYTHON_CLIENT_VENV:-/tmp/unpod-python-client}"
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/pip" show unpod 2>/dev/null | grep -q "^Version: 0.5.0$"; then
  echo "installing the unpod Python client 0.5.0 into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --ignore-requires-python "unpod==0.5.0" >&2
fi

swift build --product unpod >&2
BIN="$(swift build --show-bin-path)/unpod"
WORK="$(mktemp -d)"
DB="sqlite:$WORK/python-client.sqlite"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" users create --email python@example.com --database "$DB" >/dev/null
"$BIN" orgs create --handle acme --name Acme --owner python@example.com --database "$DB" >/dev/null
"$BIN" numbers add --org acme --provider twilio +14155550101 +14155550102 +14155550103 --database "$DB" >/dev/null
TOKEN="$("$BIN" keys create --email python@example.com --name python-client --database "$DB" | tail -n 1)"
"$BIN" serve --port "$PORT" --database "$DB" --log-level warning > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme UNPOD_PLATFORM_BASE_URL="http://127.0.0.1:$PORT/api/v2/platform" \
  "$VENV/bin/python" scripts/python_client_check.py
