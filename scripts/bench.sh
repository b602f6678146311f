#!/usr/bin/env bash
# One command for every benchmark: make bench. Each prints its figures as ratios to a baseline
# measured in the same run.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
status=0
bench/catalog/run.sh "$build" || status=$?
for b in "$build"/bench/credentials/credentials_bench; do
  [[ -x "$b" ]] && "$b" --benchmark_min_time=1 || true
done
exit $status
