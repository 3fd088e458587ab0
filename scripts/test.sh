#!/usr/bin/env bash
# The whole test suite. PostgreSQL tests run when UNPOD_TEST_POSTGRES_URL is set
# (.ci/run starts a server and sets it; see README).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests
swift test --skip-build
