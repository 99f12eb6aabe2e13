#!/usr/bin/env bash
# Installs what MultiModalSearch needs on Debian 12 and builds it. Idempotent: a second run only checks.
#   scripts/setup.sh            system packages, pgvector, build (Release)
#   scripts/setup.sh --bench    also the Python baselines (python3-torch, torchvision, Pillow, OpenBLAS, FastAPI, uvicorn,
#                               psycopg, PyMuPDF), GNU time, wrk and photos
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=false
[ "${1:-}" = "--bench" ] && bench=true

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=false
apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

require_dotnet() {
  if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
    echo "error: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian); install it and run this again" >&2
    exit 1
  fi
}

pg_version=15
pg_bin=/usr/lib/postgresql/$pg_version/bin

install_pgvector() {
  [ -f /usr/share/postgresql/$pg_version/extension/vector.control ] && return 0
  # pgvector is not packaged for Debian 12; trixie's source package builds against PostgreSQL 15 in seconds.
  apt_install build-essential postgresql-server-dev-$pg_version dpkg-dev
  local list=/etc/apt/sources.list.d/mms-trixie-src.list work
  work=$(mktemp -d)
  trap 'as_root rm -f /etc/apt/sources.list.d/mms-trixie-src.list; as_root apt-get update -qq || true; rm -rf "$work"' RETURN
  log "building pgvector from Debian trixie's source package"
  echo "deb-src http://deb.debian.org/debian trixie main" | as_root tee "$list" >/dev/null
  as_root apt-get update -qq
  (cd "$work" && apt-get source -qq --download-only pgvector >/dev/null && dpkg-source -x --no-check ./pgvector_*.dsc src >/dev/null \
     && make -s -C src PG_CONFIG=/usr/lib/postgresql/$pg_version/bin/pg_config OPTFLAGS="" >/dev/null \
     && as_root make -s -C src PG_CONFIG=/usr/lib/postgresql/$pg_version/bin/pg_config install >/dev/null)
  [ -f /usr/share/postgresql/$pg_version/extension/vector.control ] || { echo "error: pgvector did not install" >&2; exit 1; }
}

# npm fetches the emoji sets the offline model's evaluation test uses. Only when missing: Node.js from another source
# (NodeSource) ships its own npm, and Debian's npm package would conflict with it.
require_npm() {
  command -v npm >/dev/null && command -v node >/dev/null && return 0
  apt_install nodejs npm
}

# The document corpus the extraction tests and the retrieval question set use: four manuals with vector and raster
# figures from Debian 12's graphviz-doc and ghostscript-doc, unpacked into .mms/data/debian-docs (not committed).
fetch_debian_docs() {
  local dest="$root/.mms/data/debian-docs" names="dotguide.pdf neatoguide.pdf smyrna.pdf GS9_Color_Management.pdf" missing=false work
  for n in $names; do [ -s "$dest/$n" ] || missing=true; done
  $missing || return 0
  log "fetching graphviz-doc and ghostscript-doc into $dest"
  work=$(mktemp -d)
  chmod 755 "$work"
  if ! (cd "$work" && apt-get download -qq graphviz-doc ghostscript-doc 2>/dev/null); then
    as_root apt-get update -qq
    (cd "$work" && apt-get download -qq graphviz-doc ghostscript-doc) || { rm -rf "$work"; echo "error: apt-get download graphviz-doc ghostscript-doc failed" >&2; exit 1; }
  fi
  mkdir -p "$dest"
  for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/x"; done
  for n in dotguide neatoguide smyrna; do gunzip -c "$work/x/usr/share/doc/graphviz/pdf/$n.pdf.gz" > "$dest/$n.pdf"; done
  cp "$work/x/usr/share/doc/ghostscript/GS9_Color_Management.pdf" "$dest/"
  (cd "$work" && ls *.deb) > "$dest/PACKAGES"
  rm -rf "$work"
}

# The browser tests drive Debian's chromium (never a downloaded browser) and check accessibility with axe-core from npm,
# installed into .mms/npm (not committed).
install_browser_test_tools() {
  apt_install chromium fonts-dejavu-core
  [ -s "$root/.mms/npm/node_modules/axe-core/axe.min.js" ] && return 0
  log "fetching axe-core from npm into .mms/npm"
  npm install --silent --no-audit --no-fund --prefix "$root/.mms/npm" axe-core@4.14.1 >/dev/null
}

install_bench_tools() {
  apt_install python3 python3-torch python3-torchvision python3-pil libopenblas0-pthread time mate-backgrounds plasma-workspace-wallpapers
  # The query-service benchmark: Debian's wrk as the load generator, and the Python peer's FastAPI stack.
  apt_install wrk python3-fastapi python3-uvicorn python3-psycopg python3-regex
  # The ingestion benchmark's Python peer reads PDFs with PyMuPDF.
  apt_install python3-fitz
}

require_dotnet
# poppler-utils: pdftoppm, the fallback page renderer when PDFium cannot load.
apt_install ca-certificates patchelf gcc libc6-dev python3 postgresql-$pg_version postgresql-contrib poppler-utils
# The Debian package starts a system-wide cluster; MultiModalSearch runs its own project-local one instead.
install_pgvector
require_npm
# The emoji sets the offline model is evaluated on and the Debian manuals of the document tests: tests read them, and no
# test downloads anything itself.
"$root/scripts/fetch-emoji.sh" >/dev/null
fetch_debian_docs
install_browser_test_tools
$bench && install_bench_tools
log "building"
dotnet build "$root/MultiModalSearch.sln" -c Release -v q -nologo -clp:ErrorsOnly
log "ready"
