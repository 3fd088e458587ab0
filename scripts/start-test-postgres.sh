#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if missing, starts a throw-away cluster on
# 127.0.0.1:55432 (trust authentication, for tests only) and prints its URL on standard output.
set -euo pipefail
PORT="${UNPOD_TEST_PG_PORT:-55432}"
DATA="${UNPOD_TEST_PG_DATA:-/tmp/unpod-test-pg}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq postgresql >&2 || { apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2; }
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# initdb and the server refuse to run as root: use the postgres system user (made by the package).
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  rm -rf "$DATA"
  mkdir -p "$DATA"
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  # Tests run in parallel (dozens of server nodes at once), each with its own database and a few
  # connections: a pool, and a LISTEN and a NOTIFY connection for each relay (rooms, calls).
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=1000 -c fsync=off -c synchronous_commit=off" \
    start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
