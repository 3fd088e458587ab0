#!/usr/bin/env bash
# Benchmark of the authentication hot path (issues 2 and 5): requests per second, p99 and the
# server's CPU time per request (from /proc/PID/stat over each wrk run) of authenticated
# GET /api/v2/platform/organizations/ against the same server's /healthz, with metrics on; then
# side by side against the DRF peer in ../shared/bench (release build, same machine, alternating
# runs) on /healthz, /organizations/, /telephony/bridges/ and /call-logs/ (issue 6), with the
# peer's seed on both sides, and both servers' memory after the load.
#
# Usage: scripts/bench.sh [ROUNDS]        (default 5; each run lasts $DURATION, default 10s)
# Environment: DURATION, CONNECTIONS (32), THREADS (1), PORT (8090), BENCH_DIR (../shared/bench),
#              SKIP_PEER=1 to measure only this server.
# Prints the RESULT lines of every run, then medians and ratios.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-5}"
PORT="${PORT:-8090}"
BENCH_DIR="${BENCH_DIR:-$(cd ../shared/bench && pwd)}"
export DURATION="${DURATION:-10s}" CONNECTIONS="${CONNECTIONS:-32}" THREADS="${THREADS:-1}"

swift build -c release --product unpod >&2
BIN="$(swift build -c release --show-bin-path)/unpod"
WORK="$(mktemp -d)"
DB="sqlite:$WORK/bench.sqlite"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -z "${SKIP_PEER:-}" ]] && "$BENCH_DIR/peer-drf/stop.sh" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The peer's seed: user in 'acme' (one of 5 organizations); in 'acme' 20 bridges with 2 numbers
# each and 10,000 call logs.
"$BIN" users create --email bench@example.com --database "$DB" >/dev/null
"$BIN" users create --email other@example.com --database "$DB" >/dev/null
"$BIN" orgs create --handle acme --name Acme --owner bench@example.com --database "$DB" >/dev/null
for i in 1 2 3 4; do "$BIN" orgs create --handle "org-$i" --name "Org $i" --owner other@example.com --database "$DB" >/dev/null; done
"$BIN" demo call-logs --org acme --count 10000 --database "$DB" >/dev/null
"$BIN" demo bridges --org acme --count 20 --numbers-per-bridge 2 --database "$DB" >/dev/null
OUR_TOKEN="$("$BIN" keys create --email bench@example.com --name bench --database "$DB" | tail -n 1)"

"$BIN" serve --port "$PORT" --database "$DB" --log-level warning > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
RESULTS="$WORK/results"

echo "== this server: /healthz vs authenticated /organizations/, alternating, $ROUNDS rounds"
for path in /healthz /api/v2/platform/organizations/; do   # warm-up, not recorded
  DURATION=2s "$BENCH_DIR/load.sh" "$BASE$path" "$OUR_TOKEN" acme >/dev/null
done
# utime + stime of the server, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
TICKS_PER_SECOND="$(getconf CLK_TCK)"
# Alternating which goes first, so neither side always runs on a machine the other has just warmed.
for ((r = 1; r <= ROUNDS; r++)); do
  order="/healthz /api/v2/platform/organizations/"
  ((r % 2)) || order="/api/v2/platform/organizations/ /healthz"
  for path in $order; do
    token=""; [[ $path != /healthz ]] && token="$OUR_TOKEN"
    before="$(cpu_ticks)"
    line="$("$BENCH_DIR/load.sh" "$BASE$path" "$token" acme | tail -n 1)"
    after="$(cpu_ticks)"
    requests="$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")"
    cpu="$(awk -v t="$((after - before))" -v hz="$TICKS_PER_SECOND" -v n="$((requests + 1))" 'BEGIN {printf "%.2f", t / hz * 1e6 / n}')"
    echo "round=$r side=self path=$path cpu_us_per_req=$cpu $line" | tee -a "$RESULTS"
  done
done
awk "$(< scripts/median.awk)"'
  {
    delete f
    for (i = 1; i <= NF; i++) { k = substr($i, 1, index($i, "=") - 1); f[k] = substr($i, index($i, "=") + 1) }
    rps[f["path"]] = rps[f["path"]] " " f["rps"]; p99[f["path"]] = p99[f["path"]] " " f["p99_ms"]
    cpu[f["path"]] = cpu[f["path"]] " " f["cpu_us_per_req"]; round_cpu[f["round"], f["path"]] = f["cpu_us_per_req"]
    rounds = f["round"] + 0 > rounds ? f["round"] + 0 : rounds
  }
  END {
    h = "/healthz"; o = "/api/v2/platform/organizations/"
    printf "%-36s rps %10.1f  p99_ms %8.3f  cpu_us_per_req %7.2f\n", h, median(rps[h]), median(p99[h]), median(cpu[h])
    printf "%-36s rps %10.1f  p99_ms %8.3f  cpu_us_per_req %7.2f\n", o, median(rps[o]), median(p99[o]), median(cpu[o])
    printf "authenticated / healthz: rps %.2f, p99 %.2f, CPU per request %.2f (target <= 1.10)\n", median(rps[o]) / median(rps[h]), median(p99[o]) / median(p99[h]), median(cpu[o]) / median(cpu[h])
    for (r = 1; r <= rounds; r++) { ratio = round_cpu[r, o] / round_cpu[r, h]; ratios = ratios " " ratio; shown = shown sprintf(" %.2f", ratio) }
    printf "CPU per request, round by round:%s (median %.2f)\n", shown, median(ratios)
  }' "$RESULTS"

our_memory() { "$BENCH_DIR/mem.sh" "$server_pid"; }
echo "memory of this server after the load: $(our_memory)"

[[ -n "${SKIP_PEER:-}" ]] && exit 0
echo
echo "== side by side: A = DRF peer, B = this server"
"$BENCH_DIR/peer-drf/run.sh" > "$WORK/peer.env"
# shellcheck disable=SC1091
. "$WORK/peer.env"   # URL, TOKEN (the peer's), PID
A_BASE="$URL" A_TOKEN="$TOKEN" B_BASE="$BASE" B_TOKEN="$OUR_TOKEN" \
  "$BENCH_DIR/sidebyside.sh" "$ROUNDS" /healthz /api/v2/platform/organizations/ \
  /api/v2/platform/telephony/bridges/ /api/v2/platform/call-logs/
echo "memory (PSS) after the load: peer $("$BENCH_DIR/mem.sh" "$PID"), this server $(our_memory)"
