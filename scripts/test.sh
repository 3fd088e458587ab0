#!/usr/bin/env bash
# The whole test suite. PostgreSQL tests run when UNPOD_TEST_POSTGRES_URL is set
# (.ci/run starts a server and sets it; see README).
#
# Two passes: the suites that start `unpod` processes of their own (servers, workers, the CLI)
# run after the others, not among them. Together, on 2 cores, every test ran at once with dozens of
# servers and their background work, and timing-bound tests (a key refused on another node within a
# second, a greeting before the first turn) failed under that load, not under any user's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROCESSES='BinarySmokeTests|CallCommandTests|CallNodeTests|CallsAcrossNodesTests|CampaignCallTests|CrashTests|JSONLogTests|ListCacheTests|MultiNodeTests|PhoneCallTests|RoomsAcrossNodesTests|ShutdownTests|WorkerEndToEndTests'
swift build --build-tests
status=0
swift test --skip-build --skip "$PROCESSES" || status=1
swift test --skip-build --filter "$PROCESSES" || status=1
exit $status
