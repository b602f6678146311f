#!/usr/bin/env bash
# The web app: `web.sh build` installs the locked npm packages (when the lockfile changed) and
# builds web/dist, which `cairn serve` ships; `web.sh test BUILD_DIR` runs the unit tests (Vitest)
# and the end-to-end tests (Playwright driving Debian's Chromium against the real binary).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/web"
command -v node >/dev/null || { echo "web: node is missing; run scripts/install-deps.sh" >&2; exit 1; }

# npm ci only when package-lock.json changed since the last install: it wipes node_modules.
stamp=node_modules/.cairn-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

case "${1:-build}" in
  build)
    npm run --silent build
    ;;
  test)
    build=$(cd "$root" && realpath "${2:-build}")
    npm run --silent build
    npx vitest run
    CAIRN_BINARY="$build/cairn" npx playwright test
    ;;
  *)
    echo "usage: web.sh build | test BUILD_DIR" >&2
    exit 2
    ;;
esac
