#!/usr/bin/env bash
# Sets up everything the tests need (scripts/setup.sh) and runs the whole suite; ends with "tests: N passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
results="$root/.mms/test-results"
rm -rf "$results"
status=0
dotnet test "$root/MultiModalSearch.sln" -c Release --no-build -v q --logger "console;verbosity=normal" \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?
counters=$(grep -o '<Counters [^>]*' "$results"/*.trx 2>/dev/null | head -n 1 || true)
passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
[ "${passed:-0}" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
exit $status
