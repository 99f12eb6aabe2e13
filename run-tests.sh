#!/usr/bin/env bash
# Sets up everything the tests need (scripts/setup.sh) and runs the whole suite; ends with "tests: N passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
results="$root/.mms/test-results"
rm -rf "$results"
status=0
dotnet test "$root/MultiModalSearch.sln" -c Release --no-build -v q --logger "console;verbosity=normal" \
  --logger "trx" --results-directory "$results" "$@" || status=$?
# One results file per test project (the fast tier and the integration tier); the counts are their sums.
counters=$(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' || true)
passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters" | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters" | awk '{s+=$1} END {print s+0}')
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
[ "${passed:-0}" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
exit $status
