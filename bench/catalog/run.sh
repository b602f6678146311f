#!/usr/bin/env bash
# Catalog benchmark: 10,000 published micro-credentials and 100,000 users on SQLite, then wrk
# (2 threads, 64 connections) against /healthz and three catalog reads in the same run. Each figure
# is reported as a ratio to /healthz measured minutes apart on the same machine, since absolute
# numbers on a shared 2-core VM mean little.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${BENCH_SECONDS:-10}
work=$(mktemp -d /tmp/cairn-bench.XXXXXX)
port=${BENCH_PORT:-18080}
export CAIRN_DATA_DIR=$work CAIRN_LISTEN=127.0.0.1:$port CAIRN_LOG_LEVEL=warn
export CAIRN_BENCH_IDS=$work/ids.txt

echo "bench: seeding 10,000 micro-credentials and 100,000 users into $work"
/usr/bin/time -f "bench: seeded in %e s, peak RSS %M KB" "$build/bench/catalog/catalog_bench_seed" \
  --data-dir "$work" --microcredentials 10000 --users 100000 --ids-out "$CAIRN_BENCH_IDS"

"$build/cairn" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

run() {  # name, then wrk arguments; prints "name req/s p99_ms"
  local name=$1; shift
  wrk -t2 -c64 -d3s "$@" >/dev/null  # warm-up
  local out; out=$(wrk -t2 -c64 -d"${seconds}s" --latency "$@")
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  local p99; p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  [[ -n "$non2xx" ]] && { echo "bench: $name had $non2xx non-2xx responses" >&2; exit 1; }
  echo "$name $rps $p99"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v); print v } else { sub(/s/,"",v); print v*1000 } }'; }

url=http://127.0.0.1:$port
results=("$(run healthz "$url/healthz")"
         "$(run get_microcredential -s bench/catalog/random_id.lua "$url")"
         "$(run search -s bench/catalog/search.lua "$url")"
         "$(run list_page -s bench/catalog/list_page.lua "$url")"
         "$(run healthz_again "$url/healthz")")
read -r _ base_rps base_p99 <<<"${results[0]}"
printf '\n| endpoint | requests/s | ratio to /healthz | p99 (ms) |\n|---|---:|---:|---:|\n'
for r in "${results[@]}"; do
  read -r name rps p99 <<<"$r"
  printf '| %s | %.0f | %.2f | %.2f |\n' "$name" "$rps" "$(awk -v a="$rps" -v b="$base_rps" 'BEGIN{print a/b}')" "$(to_ms "$p99")"
done
read -r _ get_rps get_p99 <<<"${results[1]}"
ratio=$(awk -v a="$get_rps" -v b="$base_rps" 'BEGIN{print a/b}')
p99ms=$(to_ms "$get_p99")
echo
echo "target: GET one micro-credential >= 0.50 of /healthz throughput and p99 < 5 ms"
awk -v r="$ratio" -v p="$p99ms" 'BEGIN { ok = (r >= 0.5 && p < 5); printf "result: ratio %.2f, p99 %.2f ms: %s\n", r, p, ok ? "MET" : "NOT MET"; exit ok ? 0 : 3 }'
