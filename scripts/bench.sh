#!/usr/bin/env bash
# One command for every benchmark: make bench. Each prints its figures as ratios to a baseline
# measured in the same run.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
status=0
bench/catalog/run.sh "$build" || status=$?
"$build/bench/credentials/credentials_bench" --benchmark_min_time=1 --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true || status=$?
"$build/bench/assignment/assignment_bench" 100000 5000 1 || status=$?
bench/uploads/run.sh "$build" || status=$?
bench/issuing/run.sh "$build" || status=$?
exit $status
