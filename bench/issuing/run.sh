#!/usr/bin/env bash
# Bulk issuing benchmark: builds issuing_bench in BUILD (default build) and issues 100,000 awards.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
cmake --build "$root/$build" --target issuing_bench >/dev/null
"$root/$build/bench/issuing/issuing_bench" "${BENCH_AWARDS:-100000}" "${BENCH_BATCH:-1000}" "${BENCH_THREADS:-2}"
