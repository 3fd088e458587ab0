#!/usr/bin/env bash
# The real Python client against this server (issue 6): installs `unpod==0.5.0` from PyPI into a
# virtual environment (it asks for Python 3.12 and runs on 3.11, hence --ignore-requires-python),
# starts a server built from this commit on a fresh database, and runs
# scripts/python_client_check.py with UNPOD_PLATFORM_TOKEN, UNPOD_ORG_HANDLE and
# UNPOD_PLATFORM_BASE_URL set, as a user of the client would. Then the SDK's AgentRunner
# (scripts/runner_agent.py, the README's quick example) registers with the server's
# /v1/internal/workers as the developer's agent and converses in a web call and in phone calls placed with
# client.calls.create through `unpod worker --gateway --simulate`, and a run of 20 tasks whose calls
# it takes (scripts/campaign_call_check.py); one with a read-only key is refused for good.
#
# With ENGINE=postgres the database is a fresh one in UNPOD_TEST_POSTGRES_URL's cluster (else
# scripts/start-test-postgres.sh's); with NODES=2 as well, a second node serves on PORT+1 and the
# AgentRunner connects to it while every call is made on the first: the runner takes calls another
# node holds, and the conversation crosses between the nodes.
#
# Usage: scripts/python-client.sh     Environment: UNPOD_PYTHON_CLIENT_VENV, PORT (default 8098),
#        ENGINE (sqlite, the default, or postgres), NODES (1, the default, or 2 with postgres).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8098}"
VENV="${UNPOD_PYTHON_CLIENT_VENV:-/tmp/unpod-python-client}"
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/pip" show unpod 2>/dev/null | grep -q "^Version: 0.5.0$"; then
  echo "installing the unpod Python client 0.5.0 into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --ignore-requires-python "unpod==0.5.0" >&2
fi
# The reference Standard Webhooks package verifies every webhook the server sends (issue 18).
"$VENV/bin/python" -c "import standardwebhooks" 2>/dev/null || "$VENV/bin/pip" install -q "standardwebhooks==1.3.0" >&2

swift build --product unpod >&2
BIN="$(swift build --show-bin-path)/unpod"
WORK="$(mktemp -d)"
ENGINE="${ENGINE:-sqlite}"
NODES="${NODES:-1}"
if [[ "$ENGINE" == postgres ]]; then
  CLUSTER="${UNPOD_TEST_POSTGRES_URL:-$(scripts/start-test-postgres.sh)}"
  NAME="unpod_python_$$"
  psql "$CLUSTER" -qc "CREATE DATABASE $NAME" >/dev/null
  DB="${CLUSTER/\/postgres\?/\/$NAME?}"
  export UNPOD_MASTER_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export UNPOD_PEPPER="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
else
  [[ "$NODES" == 1 ]] || { echo "NODES=2 needs ENGINE=postgres" >&2; exit 2; }
  DB="sqlite:$WORK/python-client.sqlite"
fi
echo "engine: $ENGINE, nodes: $NODES"
server_pid=""
model_pid=""
second_pid=""
runner_pid=""
gateway_pid=""
receiver_pid=""
cleanup() {
  [[ -n "$receiver_pid" ]] && kill "$receiver_pid" 2>/dev/null && { wait "$receiver_pid" 2>/dev/null || true; }
  [[ -n "$gateway_pid" ]] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null
  [[ -n "$runner_pid" ]] && kill "$runner_pid" 2>/dev/null && wait "$runner_pid" 2>/dev/null
  [[ -n "$second_pid" ]] && kill "$second_pid" 2>/dev/null && wait "$second_pid" 2>/dev/null
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  # The model stand-in dies of the signal (status 143), which must not fail the script under set -e.
  [[ -n "$model_pid" ]] && kill "$model_pid" 2>/dev/null && { wait "$model_pid" 2>/dev/null || true; }
  [[ -n "${NAME:-}" ]] && psql "$CLUSTER" -qc "DROP DATABASE IF EXISTS $NAME" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" users create --email python@example.com --database "$DB" >/dev/null
"$BIN" orgs create --handle acme --name Acme --owner python@example.com --database "$DB" >/dev/null
"$BIN" numbers add --org acme --provider twilio +14155550101 +14155550102 +14155550103 --database "$DB" >/dev/null
"$BIN" agents create --org acme --handle my-voice-agent --name "My voice agent" --publish --database "$DB" >/dev/null
SPACE="$("$BIN" spaces create --org acme --name Leads --content-type contact --agent my-voice-agent --database "$DB" | tail -n 1)"
TOKEN="$("$BIN" keys create --email python@example.com --name python-client --database "$DB" | tail -n 1)"
READ_TOKEN="$("$BIN" keys create --email python@example.com --name read-only --scopes read --database "$DB" | tail -n 1)"
# The model analytics blocks ask (structured output): a local stand-in, scripts/scripted_model.py.
MODEL_PORT="$((PORT + 10))"
"$VENV/bin/python" scripts/scripted_model.py "$MODEL_PORT" &
model_pid=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$MODEL_PORT/" && break; sleep 0.1; done
# The webhook receiver is on this machine, hence --webhooks-allow-private.
LLM=(--llm-url "http://127.0.0.1:$MODEL_PORT/v1" --llm-model scripted-1 --webhooks-allow-private)
RECEIVER_PORT="$((PORT + 20))"
HOOKS=("http://127.0.0.1:$RECEIVER_PORT" "$WORK/webhook-secrets.json" "$WORK/webhook-state.json" "$WORK/webhooks.jsonl")
start_receiver() {
  "$VENV/bin/python" scripts/webhook_receiver.py "$RECEIVER_PORT" "$WORK/webhook-secrets.json" "$WORK/webhooks.jsonl" &
  receiver_pid=$!
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$RECEIVER_PORT/" 2>/dev/null && break; sleep 0.1; done
}
start_server() {
  "$BIN" serve --port "$PORT" --database "$DB" --log-level warning "${LLM[@]}" >> "$WORK/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
}
start_receiver
start_server
# Where the AgentRunner connects: this node, or a second one.
RUNNER_PORT="$PORT"
if [[ "$NODES" == 2 ]]; then
  RUNNER_PORT="$((PORT + 1))"
  "$BIN" serve --port "$RUNNER_PORT" --database "$DB" --log-level warning "${LLM[@]}" > "$WORK/serve2.log" 2>&1 &
  second_pid=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$RUNNER_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
fi

# Signed webhooks (issue 18): endpoints on the receiver, before any call.
hooks() { UNPOD_BASE_URL="http://127.0.0.1:$PORT" UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme "$VENV/bin/python" scripts/webhook_check.py "$1" "${HOOKS[@]}" "${@:2}"; }
hooks setup

UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme UNPOD_PLATFORM_BASE_URL="http://127.0.0.1:$PORT/api/v2/platform" \
  "$VENV/bin/python" scripts/python_client_check.py

# The runner: registered while it runs, gone once it stops; a read-only key is refused for good.
runners_connected() { curl -fsS "http://127.0.0.1:$RUNNER_PORT/metrics" | awk '$1 == "unpod_runners_connected" { print int($2) }'; }
wait_for_runners() {
  for _ in $(seq 1 100); do [[ "$(runners_connected)" == "$1" ]] && return 0; sleep 0.1; done
  return 1
}
failed=0
UNPOD_BASE_URL="http://127.0.0.1:$RUNNER_PORT" UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme \
  "$VENV/bin/python" scripts/runner_agent.py my-voice-agent > "$WORK/runner.log" 2>&1 &
runner_pid=$!
if wait_for_runners 1; then echo "ok    AgentRunner registers for my-voice-agent (on port $RUNNER_PORT; calls are made on $PORT)"; else
  echo "FAIL  AgentRunner registers for my-voice-agent"; cat "$WORK/runner.log"; failed=1; fi
if ! UNPOD_BASE_URL="http://127.0.0.1:$PORT" UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme \
  "$VENV/bin/python" scripts/web_call_check.py my-voice-agent; then
  echo "--- runner log"; tail -40 "$WORK/runner.log"; echo "--- server log"; tail -40 "$WORK/serve.log"; failed=1
fi
hooks rotate
# Analytics blocks: evaluated by the server after each call the runner takes.
if ! UNPOD_BASE_URL="http://127.0.0.1:$PORT" UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme \
  "$VENV/bin/python" scripts/analytics_check.py my-voice-agent; then
  echo "--- runner log"; tail -40 "$WORK/runner.log"; echo "--- server log"; tail -40 "$WORK/serve.log"; failed=1
fi
# Phone calls: `unpod worker --gateway --simulate` dials for the organization; the runner answers.
UNPOD_API_KEY="$TOKEN" "$BIN" worker --gateway --simulate --org acme --concurrency 4 --url "http://127.0.0.1:$PORT" \
  > "$WORK/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 1 100); do grep -q registered "$WORK/gateway.log" && break; sleep 0.1; done
if ! UNPOD_BASE_URL="http://127.0.0.1:$PORT" UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme \
  "$VENV/bin/python" scripts/phone_call_check.py my-voice-agent; then
  echo "--- gateway log"; tail -40 "$WORK/gateway.log"; echo "--- server log"; tail -40 "$WORK/serve.log"; failed=1
fi
# Every public method of the client, unchanged (issue 18), while the gateway carries phone calls: `N/M methods work unchanged`.
if ! UNPOD_BASE_URL="http://127.0.0.1:$PORT" UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme \
  "$VENV/bin/python" scripts/client_surface_check.py my-voice-agent; then
  echo "--- server log"; tail -40 "$WORK/serve.log"; failed=1
fi
kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true; gateway_pid=""
# A campaign: a task worker speaks for each contact; each task is a call to the runner.
UNPOD_API_KEY="$TOKEN" "$BIN" worker --agent my-voice-agent --simulate --concurrency 4 --url "http://127.0.0.1:$PORT" \
  > "$WORK/worker.log" 2>&1 &
gateway_pid=$!
if ! UNPOD_BASE_URL="http://127.0.0.1:$PORT" UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme \
  "$VENV/bin/python" scripts/campaign_call_check.py my-voice-agent "$SPACE"; then
  echo "--- worker log"; tail -40 "$WORK/worker.log"; echo "--- server log"; tail -40 "$WORK/serve.log"; failed=1
fi
kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true; gateway_pid=""
if [[ "$NODES" == 1 ]]; then
  # A call's events while the receiver is down, then the server killed (SIGKILL) before it could
  # deliver them: after a restart they arrive, each once.
  kill "$receiver_pid"; wait "$receiver_pid" 2>/dev/null || true; receiver_pid=""
  if ! UNPOD_BASE_URL="http://127.0.0.1:$PORT" UNPOD_PLATFORM_TOKEN="$TOKEN" UNPOD_ORG_HANDLE=acme \
    "$VENV/bin/python" scripts/web_call_check.py my-voice-agent > "$WORK/outage-call.log" 2>&1; then
    echo "FAIL  a call while the webhook receiver is down"; cat "$WORK/outage-call.log"; failed=1
  fi
  hooks refused || failed=1
  kill -KILL "$server_pid"; wait "$server_pid" 2>/dev/null || true
  echo "ok    server killed (SIGKILL) with that call's webhooks undelivered; restarted"
  start_receiver
  start_server
  export WEBHOOK_OUTAGE=1
fi
hooks verify call.started call.ended call.analyzed task.completed run.completed webhook_endpoint.disabled || {
  echo "--- server log"; tail -40 "$WORK/serve.log"; failed=1; }
kill "$runner_pid"; wait "$runner_pid" 2>/dev/null || true; runner_pid=""
if wait_for_runners 0; then echo "ok    a stopped AgentRunner is gone"; else echo "FAIL  a stopped AgentRunner is gone"; failed=1; fi
set +e
UNPOD_BASE_URL="http://127.0.0.1:$RUNNER_PORT" UNPOD_PLATFORM_TOKEN="$READ_TOKEN" UNPOD_ORG_HANDLE=acme \
  timeout 20 "$VENV/bin/python" scripts/runner_agent.py my-voice-agent > "$WORK/refused.log" 2>&1
status=$?
set -e
if [[ $status == 3 ]]; then echo "ok    a read-only key's AgentRunner is refused (RunnerAuthError)"; else
  echo "FAIL  a read-only key's AgentRunner is refused: exit $status"; cat "$WORK/refused.log"; failed=1; fi
exit $failed
