#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and UBSan in build-fuzz/, then runs
# each on its committed seed corpus for FUZZ_SECONDS (default 60). New inputs go to a scratch
# corpus, so the committed one only changes when someone copies a finding in on purpose.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-60}
build=build-fuzz
if [[ ! -f $build/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_FUZZ=ON >/dev/null
fi
targets=$(sed -n 's/.*cairn_add_fuzzer(\([a-z_0-9]*\).*/\1/p' fuzz/*.cmake 2>/dev/null | sort -u)
# Third-party caches (fontconfig) live until exit by design; see fuzz/lsan.supp.
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0"
[[ -z "$targets" ]] && { echo "fuzz: no targets"; exit 0; }
# shellcheck disable=SC2086
cmake --build $build -j "$(nproc)" --target $targets
failed=0
for t in $targets; do
  scratch=$(mktemp -d)
  seeds=fuzz/corpus/$t
  [[ -d $seeds ]] || { echo "fuzz: $t has no seed corpus in $seeds" >&2; failed=1; continue; }
  echo "fuzz: $t for ${seconds}s"
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       "$scratch" "$seeds" > "$scratch.log" 2>&1; then
    tail -40 "$scratch.log" >&2
    echo "fuzz: $t FAILED (crash input saved in $root)" >&2
    failed=1
  else
    grep -E 'stat::number_of_executed_units' "$scratch.log" | sed "s/^/fuzz: $t /"
  fi
  rm -rf "$scratch" "$scratch.log"
done
exit $failed
