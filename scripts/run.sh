#!/usr/bin/env bash
# Starts Cairn on SQLite with blobs under ./var (or $CAIRN_DATA_DIR), loading the demo data set on
# first start. Environment variables (CAIRN_LISTEN, CAIRN_DATA_DIR, ...) are honoured.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CAIRN_DATA_DIR=${CAIRN_DATA_DIR:-$root/var}
export CAIRN_KEK_FILE=${CAIRN_KEK_FILE:-$CAIRN_DATA_DIR/kek.key}
mkdir -p "$CAIRN_DATA_DIR"
if [[ ! -f "$CAIRN_KEK_FILE" ]]; then
  (umask 077 && head -c 32 /dev/urandom > "$CAIRN_KEK_FILE")
  chmod 0600 "$CAIRN_KEK_FILE"
fi
"$build/cairn" migrate
if [[ ! -f "$CAIRN_DATA_DIR/.demo-seeded" ]]; then
  "$build/cairn" seed-demo && touch "$CAIRN_DATA_DIR/.demo-seeded"
fi
exec "$build/cairn" serve
