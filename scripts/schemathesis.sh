#!/usr/bin/env bash
# Property-based API testing (issue 5, item 2): Schemathesis, from PyPI, against a running server
# built from this commit, with a real key and Org-Handle, over every operation in openapi.json.
#
# Usage: scripts/schemathesis.sh [MAX_EXAMPLES]   (default 100 per operation: well over 1,000 requests;
#                                                    give more for a longer local run, e.g. 2000)
# Environment: UNPOD_SCHEMATHESIS_VENV (where Schemathesis is installed, default /tmp/unpod-schemathesis),
#              PORT (default 8097).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MAX_EXAMPLES="${1:-100}"
PORT="${PORT:-8097}"
VENV="${UNPOD_SCHEMATHESIS_VENV:-/tmp/unpod-schemathesis}"
VERSION=4.32.5

if [[ ! -x "$VENV/bin/schemathesis" ]] || ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "installing schemathesis $VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$VERSION" >&2
fi

swift build --product unpod >&2
BIN="$(swift build --show-bin-path)/unpod"
WORK="$(mktemp -d)"
DB="sqlite:$WORK/schemathesis.sqlite"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" users create --email fuzz@example.com --database "$DB" >/dev/null
"$BIN" orgs create --handle acme --name Acme --owner fuzz@example.com --database "$DB" >/dev/null
"$BIN" demo call-logs --org acme --count 200 --database "$DB" >/dev/null
TOKEN="$("$BIN" keys create --email fuzz@example.com --name schemathesis --database "$DB" | tail -n 1)"

# No failed-authentication throttle: Schemathesis's own requests may all come from one address.
"$BIN" serve --port "$PORT" --database "$DB" --log-level warning --failed-auth-limit off > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

status=0
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/api/v2/platform/openapi.json" \
  --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Token $TOKEN" --header "Org-Handle: acme" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$MAX_EXAMPLES" --seed 42 --no-color \
  --report junit --report-dir "$WORK/report" || status=$?

# The count of requests the server answered, from its own metrics.
requests="$(curl -fsS "http://127.0.0.1:$PORT/metrics" | awk '/^unpod_http_requests_total/ {sum += $NF} END {print sum + 0}')"
echo "schemathesis: $requests requests answered by the server, exit status $status"
if grep -q "unhandled error" "$WORK/serve.log"; then
  echo "the server logged an internal error:" >&2
  grep -n "unhandled error" "$WORK/serve.log" | head -20 >&2
  status=1
fi
if (( requests < 1000 )); then
  echo "fewer than 1,000 requests were generated" >&2
  status=1
fi
exit "$status"
