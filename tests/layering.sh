#!/usr/bin/env bash
# Fails when a layer includes a header of a layer above it (DESIGN.md "Layers"): the linker
# catches wrong-way calls, this catches wrong-way includes of header-only code too.
set -euo pipefail
src=${1:-$(dirname "$0")/../src}
layers=(common domain engines storage services api cli)
# engines and storage are siblings: neither may include the other.
declare -A allowed=(
  [common]="common"
  [domain]="common domain"
  [engines]="common domain engines"
  [storage]="common domain storage"
  [services]="common domain engines storage services"
  [api]="common domain engines storage services api"
  [cli]="common domain engines storage services api cli"
)
bad=0
for layer in "${layers[@]}"; do
  [[ -d "$src/$layer" ]] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    if [[ " ${allowed[$layer]} " != *" $inc "* ]]; then
      echo "layering: $file includes $inc/ (a $layer file may include only: ${allowed[$layer]})"
      bad=1
    fi
  done < <(grep -rHE '^#include "[a-z_]+/' "$src/$layer" || true)
done
if ((bad)); then exit 1; fi
echo "layering: every include points inward"
