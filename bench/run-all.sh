#!/usr/bin/env bash
# Runs every CPU benchmark in sequence, as recorded in docs/benchmarks.md (about 70 minutes on 2 cores, plus about 20 for the query service and, once, 15-30 to build its 1M-row database).
# Logs go to .mms/bench/logs/. Run on an otherwise idle machine: these are side-by-side ratios, but noise still shows.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh --bench
bench/collect-photos.sh
logs=.mms/bench/logs
mkdir -p "$logs"
B="dotnet bench/MultiModalSearch.Bench/bin/Release/net10.0/MultiModalSearch.Bench.dll"
run() { local name=$1; shift; echo "== $name: $*" >&2; $B "$@" 2>&1 | tee "$logs/$name.log"; }
run encoder encoder --runs 3 --seconds 15
run e2e e2e --count 128 --runs 3
run bert bert --runs 3 --seconds 15
run ingest ingest --runs 3
run decoder decoder --runs 3
$B make-model
$B make-photos --count ${MMS_BENCH_PHOTOS:-500}
run index index --count ${MMS_BENCH_PHOTOS:-500} --runs 2
run storage storage --rows 100000
run memory memory
$B service-data --rows 100000
run service-100k service --rows 100000 --runs 3 --seconds 10
nice -n 10 $B service-data --rows 1000000
run service-1m service --rows 1000000 --runs 3 --seconds 10 --ef 400 --ef-list 100,200,400,800
