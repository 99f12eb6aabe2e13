#!/usr/bin/env bash
# MultiModalSearch command-line tool. Builds itself (Release) when a source file is newer than the build.
# MMS_LIBTORCH_DIR=/path/to/libtorch/lib runs against an existing libtorch (e.g. PyTorch's, for CUDA);
# MMS_LIBTORCH_DIR=python takes it from the python3 on PATH (see docs/gpu.md).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
dll="$root/indexer/MultiModalSearch.Cli/bin/Release/net10.0/mms.dll"
stamp="$root/indexer/MultiModalSearch.Cli/bin/Release/net10.0/.mms-built"
if [ ! -f "$dll" ] || [ ! -f "$stamp" ] || [ -n "$(find "$root/src" "$root/indexer" "$root/api" "$root/web" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/Directory.Build.targets" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.json' -o -name '*.html' -o -name '*.js' -o -name '*.css' \) -not -path '*/bin/*' -not -path '*/obj/*' -newer "$stamp" -print -quit)" ]; then
  command -v dotnet >/dev/null || { echo "mms: dotnet not found; run scripts/setup.sh first" >&2; exit 1; }
  echo "mms: building..." >&2
  dotnet build "$root/indexer/MultiModalSearch.Cli" -c Release -v q -nologo "-clp:ErrorsOnly;NoSummary" >&2
  touch "$stamp"
fi
# The installation's home: the embedded database lives in $MMS_HOME/.mms/postgres and the bundled model in $MMS_HOME/models,
# wherever the command is run from.
export MMS_HOME="${MMS_HOME:-$root}"
if [ -n "${MMS_LIBTORCH_DIR:-}" ]; then
  dir=$MMS_LIBTORCH_DIR
  [ "$dir" = python ] && dir=$(python3 -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),"lib"))')
  export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
exec dotnet "$dll" "$@"
