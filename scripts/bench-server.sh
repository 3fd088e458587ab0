# Sourced by the release benchmarks that need one server with a seeded organization
# (scripts/bench-tasks.sh, scripts/bench-calls.sh): builds `unpod` and the benchmark product named
# in BENCH_PRODUCT, picks the database (ENGINE=sqlite, the default, or postgres through
# scripts/start-test-postgres.sh), seeds user bench@example.com, organization acme and the published
# agent bench-bot, and sets BIN_DIR, WORK, DB and KEY (a key restricted to acme). Then
# `bench_server_start` serves on PORT (with SERVE_ARGS, if set) and waits until it answers; the
# server stops on exit.
ENGINE="${ENGINE:-sqlite}"
swift build -c release --product unpod >&2
swift build -c release --product "$BENCH_PRODUCT" >&2
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
  NAME="unpod_bench_$$"
  psql "$CLUSTER" -qc "CREATE DATABASE $NAME" >/dev/null
  DB="${CLUSTER/\/postgres\?/\/$NAME?}"
  export UNPOD_MASTER_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export UNPOD_PEPPER="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
else
  DB="sqlite:$WORK/bench.sqlite"
fi
"$BIN_DIR/unpod" users create --email bench@example.com --database "$DB" >/dev/null
"$BIN_DIR/unpod" orgs create --handle acme --name Acme --owner bench@example.com --database "$DB" >/dev/null
"$BIN_DIR/unpod" agents create --org acme --handle bench-bot --name Bench --publish --database "$DB" >/dev/null
KEY="$("$BIN_DIR/unpod" keys create --email bench@example.com --org acme --name bench --database "$DB" | tail -n 1)"

bench_server_start() {
  # shellcheck disable=SC2086 # SERVE_ARGS: extra flags, word-split on purpose
  "$BIN_DIR/unpod" serve --port "$PORT" --database "$DB" --log-level warning ${SERVE_ARGS:-} > "$WORK/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  echo "engine: $ENGINE"
}
