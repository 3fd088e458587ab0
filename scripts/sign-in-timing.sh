#!/usr/bin/env bash
# How long the dashboard takes to refuse a sign-in for an unknown email and for a wrong password
# (issue 8: about the same time, so the timing does not tell which emails have accounts).
# Alternates the two, ROUNDS times each (default 20), against `unpod serve` at the production bcrypt
# cost, and prints the medians.
# Usage: scripts/sign-in-timing.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-20}"
PORT="${PORT:-8099}"
swift build --product unpod >&2
BIN="$(swift build --show-bin-path)/unpod"
WORK="$(mktemp -d)"
DB="sqlite:$WORK/timing.sqlite"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
echo "a long enough password" | "$BIN" users create --email known@example.com --password-stdin --database "$DB" >/dev/null
"$BIN" serve --port "$PORT" --database "$DB" --log-level warning \
  --sign-in-limit-account 100000/h --sign-in-limit-address 100000/h > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

attempt() {  # email -> seconds the refused POST took
  local jar="$WORK/jar" csrf
  rm -f "$jar"
  csrf=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/dashboard/sign-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"//')
  curl -s -o /dev/null -b "$jar" -w '%{time_total}\n' --data-urlencode "csrf=$csrf" --data-urlencode "email=$1" \
    --data-urlencode "password=wrong password" "http://127.0.0.1:$PORT/dashboard/sign-in"
}
attempt known@example.com >/dev/null  # the stand-in hash is made on first use: not measured
attempt nobody@example.com >/dev/null
for ((i = 0; i < ROUNDS; i++)); do
  echo "known $(attempt known@example.com)"
  echo "unknown $(attempt nobody@example.com)"
done > "$WORK/times"
awk "$(< scripts/median.awk)"'
  { times[$1] = times[$1] " " $2 }
  END {
    k = median(times["known"]); u = median(times["unknown"])
    printf "median refusal: wrong password %.1f ms, unknown email %.1f ms (difference %.1f%%)\n", k * 1000, u * 1000, (u - k) / k * 100
  }' "$WORK/times"
