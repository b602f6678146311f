#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on a private socket and port, owned by the postgres user
# (initdb refuses root). Prints the connection URL on stdout. Stop it with: pg-cluster.sh stop DIR
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
if [[ "${1:-}" == stop ]]; then
  dir=$2
  as_pg=(); [[ $(id -u) -eq 0 ]] && as_pg=(runuser -u postgres --)
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
dir=${1:?usage: pg-cluster.sh DIR | pg-cluster.sh stop DIR}
port=${CAIRN_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}
mkdir -p "$dir"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U cairn --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }
"$bin/createdb" -h "$dir" -p "$port" -U cairn cairn_test
echo "postgresql://cairn@127.0.0.1:$port/cairn_test"
