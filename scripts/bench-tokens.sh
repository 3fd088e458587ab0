#!/usr/bin/env bash
# Access-token verifications per second on one core: our verifier (release build) against Python
# livekit-api's TokenVerifier, on the same 100 tokens minted by livekit-api, alternating runs pinned
# to core 0 (issue 7's target: 20 times or more).
# Usage: scripts/bench-tokens.sh [ROUNDS] [SECONDS]      (defaults 5 and 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-5}"
SECONDS_PER_RUN="${2:-3}"
PYTHON="$(scripts/livekit-venv.sh)"
swift build -c release --product token-benchmark >&2
BIN="$(swift build -c release --show-bin-path)/token-benchmark"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
KEY_ID=BenchKeyId123456
SECRET="unpod_${KEY_ID}_$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 49)"
"$PYTHON" scripts/livekit/mint.py "$KEY_ID" "$SECRET" 100 bench-room > "$WORK/tokens"
for ((r = 1; r <= ROUNDS; r++)); do
  taskset -c 0 "$PYTHON" scripts/livekit/verify_bench.py "$WORK/tokens" "$KEY_ID" "$SECRET" "$SECONDS_PER_RUN" | tee -a "$WORK/results"
  taskset -c 0 "$BIN" "$WORK/tokens" "$KEY_ID" "$SECRET" "$SECONDS_PER_RUN" | tee -a "$WORK/results"
done
awk "$(< scripts/median.awk)"'
  /^RESULT/ { split($2, side, "="); split($3, rate, "="); rates[side[2]] = rates[side[2]] " " rate[2] }
  END {
    printf "median verifications per second on one core: python %d, swift %d, ratio %.1f (target >= 20)\n",
      median(rates["python"]), median(rates["swift"]), median(rates["swift"]) / median(rates["python"])
  }' "$WORK/results"
