#!/usr/bin/env bash
# Makes TorchSharp's native library load where the system libstdc++ predates GCC 13 (Debian 12 stops at
# GLIBCXX_3.4.30). libLibTorchSharp.so needs GLIBCXX_3.4.32 for std::ios_base_library_init() alone, so we
# (1) add a tiny library defining that symbol as DT_NEEDED and (2) mark the version requirement weak.
# Where libstdc++ already provides GLIBCXX_3.4.32 this script changes nothing.
# Usage: apply.sh DIR...   (patches every libLibTorchSharp.so below each DIR; idempotent)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=GLIBCXX_3.4.32
shim=libmms_glibcxx_compat.so

system_libstdcxx() {
  local path
  path=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  [ -n "$path" ] || path=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6/ {print $NF; exit}')
  echo "$path"
}

lib=$(system_libstdcxx)
if [ -z "$lib" ] || grep -qa "$version" "$lib"; then
  exit 0   # libstdc++ is new enough (or absent, in which case nothing we do would help)
fi
for tool in patchelf gcc python3; do
  command -v "$tool" >/dev/null || { echo "error: TorchSharp needs $version, which $lib lacks; the compatibility step needs '$tool': run ./scripts/setup.sh (or apt-get install patchelf gcc python3)" >&2; exit 1; }
done

for dir in "$@"; do
  [ -d "$dir" ] || continue
  while IFS= read -r -d '' target; do
    if patchelf --print-needed "$target" | grep -qx "$shim"; then continue; fi
    gcc -shared -fPIC -O2 -o "$(dirname "$target")/$shim" "$here/glibcxx_compat.c"
    patchelf --add-needed "$shim" "$target"
    python3 "$here/weaken_version_need.py" "$target" "$version"
    echo "torchsharp-compat: patched $target for $lib"
  done < <(find "$dir" -name libLibTorchSharp.so -print0)
done
