#!/usr/bin/env bash
# Prints the Python of a virtualenv with LiveKit's server SDK (livekit-api), made on first use:
# the reference our access tokens are checked against (issue 7).
set -euo pipefail
VENV="${LIVEKIT_VENV:-/tmp/unpod-livekit}"
if ! "$VENV/bin/python" -c 'import livekit.api' 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q 'livekit-api==1.2.2' >&2
fi
echo "$VENV/bin/python"
