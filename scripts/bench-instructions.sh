#!/usr/bin/env bash
# Instructions per request (issue 5), counted by callgrind: repeatable to about 0.1 % from run to
# run whatever else the machine does, where CPU time read from /proc (scripts/bench.sh) varies by
# ±20 % on a shared 2-core machine. Counts the server's instructions (all threads) over a fixed
# number of keep-alive requests, after a warm-up, for:
#   /healthz                                   no headers (the baseline)
#   /healthz with Authorization and Org-Handle  what the two headers alone cost HTTP parsing
#   /api/v2/platform/organizations/            the authenticated path (a cached key)
# and prints each against the baseline. Instructions leave out the kernel (sockets, thread
# wake-ups), which is the same work for every path, so the ratio is a little above the CPU one.
#
# Usage: scripts/bench-instructions.sh [REQUESTS]      (default 2000)
# Environment: VALGRIND (default: valgrind on the PATH), PORT (8094).
#
# Debian bookworm's valgrind 3.19 aborts on this server (and 3.24 does too): libdispatch parks the
# main thread with rt_sigsuspend on a mask in read-only memory, and valgrind's wrapper for that
# call (PRE(sys_rt_sigsuspend) in coregrind/m_syswrap/syswrap-linux.c) clears a bit in the
# caller's mask in place. A valgrind built from source with that VG_(sigdelset) done only when
# VG_(sigismember) says the bit is set runs it; name its binary in VALGRIND.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REQUESTS="${1:-2000}"
PORT="${PORT:-8094}"
VALGRIND="${VALGRIND:-valgrind}"
CONTROL="$(dirname "$(command -v "$VALGRIND")")/callgrind_control"

swift build -c release --product unpod >&2
BIN="$(swift build -c release --show-bin-path)/unpod"
WORK="$(mktemp -d)"
DB="sqlite:$WORK/bench.sqlite"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" users create --email bench@example.com --database "$DB" >/dev/null
"$BIN" orgs create --handle acme --name Acme --owner bench@example.com --database "$DB" >/dev/null
TOKEN="$("$BIN" keys create --email bench@example.com --name bench --database "$DB" | tail -n 1)"

"$VALGRIND" --tool=callgrind --callgrind-out-file="$WORK/callgrind.%p" \
  "$BIN" serve --port "$PORT" --database "$DB" --log-level warning > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "the server did not start under $VALGRIND:" >&2; tail -n 20 "$WORK/serve.log" >&2; exit 1; }

# N requests over 4 keep-alive connections; every answer must be 200.
load() {
  python3 - "$PORT" "$1" "$2" "$3" <<'PY'
import http.client, sys, threading
port, path, count, token = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
headers = {"Authorization": "Token " + token, "Org-Handle": "acme"} if token else {}
def worker(n):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for _ in range(n):
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status}")
threads = [threading.Thread(target=worker, args=(count // 4,)) for _ in range(4)]
for thread in threads: thread.start()
for thread in threads: thread.join()
PY
}

# Instructions per request for one path: zero the counters, send, dump, read the dump's total.
measure() {
  local name="$1" path="$2" token="$3"
  load "$path" 200 "$token"   # warm-up, not counted
  "$CONTROL" --zero "$server_pid" >/dev/null 2>&1
  load "$path" "$REQUESTS" "$token"
  "$CONTROL" --dump="$name" "$server_pid" >/dev/null 2>&1
  local dump total
  dump="$(ls -t "$WORK"/callgrind.*.* | head -n 1)"   # the newest dump: this one
  total="$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")"
  echo "$name $((total / REQUESTS))"
}

{
  measure healthz /healthz ""
  measure healthz-with-headers /healthz "$TOKEN"
  measure organizations /api/v2/platform/organizations/ "$TOKEN"
} | awk '
  { count[$1] = $2 }
  END {
    base = count["healthz"]
    printf "%-24s %9d instructions per request\n", "/healthz", base
    printf "%-24s %9d instructions per request (%.3fx /healthz)\n", "/healthz + the 2 headers", count["healthz-with-headers"], count["healthz-with-headers"] / base
    printf "%-24s %9d instructions per request (%.3fx /healthz; target <= 1.10)\n", "/organizations/", count["organizations"], count["organizations"] / base
  }'
