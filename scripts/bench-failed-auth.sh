#!/usr/bin/env bash
# Issue 18's failed-authentication benchmark (release build): what the budget shared by every node
# costs a refused token. From one address (127.0.0.1), with wrk (1 thread, CONNECTIONS, DURATION),
# alternating over ROUNDS:
#   healthz   GET /healthz, the machine's ceiling;
#   off       a revoked key with the throttle off (--failed-auth-limit off): 401, from the cache;
#   shared    the same key with the throttle on (100/d): 429 once the budget is spent, every failure
#             counted in memory and added to the database's count every 250 ms.
# Then the database's window for the address is compared with the failures the shared server
# answered: it may count more (requests in flight when wrk stopped), never fewer.
# ENGINE=postgres NODES=2: the shared runs load two nodes on one database at once, half the
# connections each, and the count is the sum of both.
# Usage: scripts/bench-failed-auth.sh [ROUNDS]      (default 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-3}"
PORT="${PORT:-8092}"
NODES="${NODES:-1}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
BENCH_PRODUCT=unpod
source scripts/bench-server.sh
LUA="$(cd ../shared/bench && pwd)/load.lua"

# A real key, revoked: a well-formed token no node will accept, as a stolen old key would be.
created="$("$BIN_DIR/unpod" keys create --email bench@example.com --org acme --name stolen --database "$DB")"
REVOKED="$(tail -n 1 <<<"$created")"
"$BIN_DIR/unpod" keys revoke "$(sed -n 's/^created key \([^ ]*\) .*/\1/p' <<<"$created")" --database "$DB" >/dev/null

pids=()
start_nodes() { # COUNT FLAGS...
  local count="$1"; shift
  pids=()
  for ((n = 0; n < count; n++)); do
    "$BIN_DIR/unpod" serve --port "$((PORT + n))" --database "$DB" --log-level warning "$@" >> "$WORK/serve.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$((PORT + n))/healthz" >/dev/null && break; sleep 0.1; done
  done
}
stop_nodes() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done; pids=(); }
trap 'stop_nodes; cleanup' EXIT

# One wrk per node, CONNECTIONS split between them; prints "rps p50 p99 requests non2xx".
load() { # PATH TOKEN NODES
  local path="$1" token="$2" count="$3" n loads=()
  for ((n = 0; n < count; n++)); do
    TOKEN="$token" wrk -t1 -c"$((CONNECTIONS / count))" -d"$DURATION" --timeout 2s --latency -s "$LUA" \
      "http://127.0.0.1:$((PORT + n))$path" > "$WORK/wrk.$n" &
    loads+=("$!")
  done
  wait "${loads[@]}" || true   # wrk exits 0 with non-2xx answers; the RESULT lines say what happened
  for ((n = 0; n < count; n++)); do grep '^RESULT ' "$WORK/wrk.$n"; done | awk '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      rps += f["rps"]; if (f["p50_ms"] > p50) p50 = f["p50_ms"]; if (f["p99_ms"] > p99) p99 = f["p99_ms"]
      requests += f["requests"]; bad += f["non2xx"] }
    END { printf "%.1f %.3f %.3f %d %d\n", rps, p50, p99, requests, bad }'
}

: > "$WORK/results"
failures=0
for ((r = 1; r <= ROUNDS; r++)); do
  start_nodes 1 --failed-auth-limit off
  read -r rps p50 p99 _ _ <<<"$(load /healthz "" 1)"
  echo "round=$r run=healthz rps=$rps p50_ms=$p50 p99_ms=$p99" | tee -a "$WORK/results"
  read -r rps p50 p99 _ _ <<<"$(load /api/v2/platform/organizations/ "$REVOKED" 1)"
  echo "round=$r run=off rps=$rps p50_ms=$p50 p99_ms=$p99" | tee -a "$WORK/results"
  stop_nodes
  start_nodes "$NODES" --failed-auth-limit 100/d
  read -r rps p50 p99 requests refused <<<"$(load /api/v2/platform/organizations/ "$REVOKED" "$NODES")"
  echo "round=$r run=shared rps=$rps p50_ms=$p50 p99_ms=$p99 refused=$refused" | tee -a "$WORK/results"
  failures=$((failures + refused))
  stop_nodes   # a graceful stop shares what is left
done

awk "$(< scripts/median.awk)"'
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    rps[f["run"]] = rps[f["run"]] " " f["rps"]; p50[f["run"]] = p50[f["run"]] " " f["p50_ms"]; p99[f["run"]] = p99[f["run"]] " " f["p99_ms"] }
  END {
    for (run in rps) printf "%-8s rps %9.1f  p50_ms %7.3f  p99_ms %7.3f\n", run, median(rps[run]), median(p50[run]), median(p99[run])
    printf "shared / off: rps %.2f, p99 %.2f\n", median(rps["shared"]) / median(rps["off"]), median(p99["shared"]) / median(p99["off"])
  }' "$WORK/results"

digest="$(printf '%s' 'api address:127.0.0.1' | sha256sum | cut -d' ' -f1)"
if [[ "$ENGINE" == postgres ]]; then
  counted="$(psql "${DB}" -Atc "SELECT failures FROM failure_windows WHERE key = '$digest'")"
else
  counted="$(sqlite3 "${DB#sqlite:}" "SELECT failures FROM failure_windows WHERE key = '$digest'")"
fi
echo "failures answered by the shared nodes: $failures; counted in the database: $counted (in flight when wrk stopped: $((counted - failures)))"
[[ "$counted" -ge "$failures" ]] || { echo "FAIL: the database counted fewer failures than were answered" >&2; exit 1; }
