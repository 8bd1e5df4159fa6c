#!/usr/bin/env bash
# Builds the web UI into web/dist unless it is already newer than every source file.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [[ -f dist/index.html ]] && [[ -z "$(find src index.html package.json vite.config.* public \
      -newer dist/index.html -print -quit 2>/dev/null)" ]]; then
  exit 0
fi
npm run build --silent
