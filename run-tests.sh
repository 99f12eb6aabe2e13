#!/usr/bin/env bash
# Sets up everything the tests need (scripts/setup.sh) and runs the whole suite.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
dotnet test "$root/MultiModalSearch.sln" -c Release --no-build -v q --logger "console;verbosity=normal" "$@"
