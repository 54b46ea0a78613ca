#!/usr/bin/env bash
# Benchmarks the app against the established browser tools of ../shared/bench, in the
# same run, on the same generated survey CSVs; then the native engine on the same files.
# Usage: scripts/bench.sh [sizes, default 10k,100k,1m] [runs, default 3]
# Results: target/bench/results/<stamp>/summary.md and target/bench/native.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-10k,100k,1m}
runs=${2:-3}
root=$PWD
src=${BENCH_SRC:-$root/../shared/bench}
work=$root/target/bench
if [ ! -f "$work/bench.mjs" ]; then
  rm -rf "$work" && mkdir -p "$work" && cp -r "$src"/. "$work"/
fi
(cd "$work" && [ -d node_modules ] || npm ci --no-audit --no-fund --cache "$root/.tools/npm-cache")
for s in ${sizes//,/ }; do
  [ -f "$work/data/survey_$s.csv" ] || (cd "$work" && python3 gen.py --rows "$s")
done
[ -f dist/index.html ] || make dist
port=8471
node scripts/serve-dist.mjs dist "$port" & server=$!
trap 'kill $server 2>/dev/null' EXIT
sleep 1
mkdir -p "$work/.tmp"
(cd "$work" && TMPDIR="$work/.tmp" node bench.mjs --sizes "$sizes" --runs "$runs" \
  --peers duckdb,arquero,papaparse,template --native \
  --page "tsunagari=http://127.0.0.1:$port/?bench=1")
files=()
for s in ${sizes//,/ }; do files+=("$work/data/survey_$s.csv"); done
cargo bench --bench read -- "${files[@]}" | tee "$work/native.md"
