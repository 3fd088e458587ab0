#!/usr/bin/env bash
# The dashboard in a real headless Chromium (issue 8): Debian's chromium and chromium-driver,
# Selenium from PyPI, against `unpod serve` built from this commit on a fresh SQLite database.
# Walks the seed page's steps and saves screenshots (laptop and phone widths) to SCREENSHOT_DIR.
#
# Usage: scripts/dashboard-browser.sh [SCREENSHOT_DIR]   (default /tmp/unpod-dashboard-screenshots)
# Environment: UNPOD_SELENIUM_VENV (default /tmp/unpod-selenium), PORT (default 8098).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT="${1:-/tmp/unpod-dashboard-screenshots}"
PORT="${PORT:-8098}"
VENV="${UNPOD_SELENIUM_VENV:-/tmp/unpod-selenium}"
SELENIUM=4.51.0

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "installing chromium and chromium-driver from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium chromium-driver >&2 \
    || { apt-get update -qq >&2 && apt-get install -y -qq chromium chromium-driver >&2; }
fi
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$SELENIUM')" 2>/dev/null; then
  echo "installing selenium $SELENIUM into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "selenium==$SELENIUM" >&2
fi

swift build --product unpod >&2
BIN="$(swift build --show-bin-path)/unpod"
WORK="$(mktemp -d)"
DB="sqlite:$WORK/dashboard.sqlite"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

EMAIL=walkthrough@example.com
PASSWORD="walkthrough-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
echo "$PASSWORD" | "$BIN" users create --email "$EMAIL" --password-stdin --database "$DB" >/dev/null
"$BIN" orgs create --handle acme.example --name "Acme Voice" --owner "$EMAIL" --database "$DB" >/dev/null
# --webhooks-allow-private: the walk's webhook receiver is on this machine.
"$BIN" serve --port "$PORT" --database "$DB" --log-level warning --webhooks-allow-private > "$WORK/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.1
done

rm -rf "$OUT"
if ! "$VENV/bin/python" scripts/browser/dashboard_walkthrough.py "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" acme.example "$OUT"; then
  echo "server log:" >&2
  cat "$WORK/serve.log" >&2
  exit 1
fi
