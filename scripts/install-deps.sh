#!/usr/bin/env bash
# Installs, from Debian 12's packages, whatever Cairn needs that is missing. Idempotent and quiet
# when everything is present. Uses sudo when not root.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config ccache make
  # HTTP / URL / TLS: versioned Boost only; the unversioned packages pull in 1.74, which conflicts
  libboost1.81-dev libboost-url1.81-dev libssl-dev
  # data
  libsqlite3-dev libsoci-dev libpq-dev sqlite3
  # JSON, crypto, compression, logging, CLI
  nlohmann-json3-dev libsodium-dev zlib1g-dev libspdlog-dev libfmt-dev libcli11-dev
  # content: templates, markdown, images, MIME sniffing, fonts
  libkainjow-mustache-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libpng-dev librsvg2-dev
  libcairo2-dev libqrencode-dev libmagic-dev fonts-dejavu-core
  # evidence media: probing and transcoding videos browsers cannot play; metadata checks in tests
  ffmpeg libimage-exiftool-perl libheif-examples
  # email + outbound HTTP, metrics
  libcurl4-openssl-dev prometheus-cpp-dev
  # tests, fuzzing, load, integration servers
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev wrk postgresql
  python3 python3-aiosmtpd curl
)
if [[ "${CAIRN_WITH_BROWSER:-0}" == 1 ]]; then
  packages+=(chromium chromium-driver)
fi

# Node.js only when there is none: an installed Node (18 or newer) is never replaced.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

# PostgreSQL's package starts a system cluster; the tests start their own on a private socket.
