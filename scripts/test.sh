#!/usr/bin/env bash
# Runs every test: unit, storage contract on SQLite and on a real PostgreSQL 15 started here,
# SMTP tests against a real SMTP server process, and the web app's tests when present.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

pgdir=$(mktemp -d /tmp/cairn-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
CAIRN_TEST_PG_URL=$(scripts/pg-cluster.sh "$pgdir") || { echo "test: could not start PostgreSQL" >&2; exit 1; }
export CAIRN_TEST_PG_URL
echo "test: PostgreSQL 15 at $CAIRN_TEST_PG_URL"

# Test-only reference implementations (jsonld, rdf-canonize, canonicalize) that the native
# canonicalizers are compared with; locked versions, no scripts.
(cd tests/credentials/node && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)

# The web app is built first: the server's end-to-end tests drive its pages in Chromium too.
scripts/web.sh build

ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600

# The web app: Vitest unit tests, then Playwright in Debian's Chromium against the real binary.
scripts/web.sh test "$build"

# Every fuzzer, under ASan and UBSan, for FUZZ_SECONDS each (60 by default).
scripts/fuzz.sh
