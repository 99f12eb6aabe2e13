#!/usr/bin/env bash
# Gathers real photo-sized JPEGs from Debian's wallpaper packages (mate-backgrounds, plasma-workspace-wallpapers;
# installed by scripts/setup.sh --bench) into .mms/bench/photos as links, for the end-to-end benchmarks.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/.mms/bench/photos
mkdir -p "$dest"
find /usr/share/backgrounds/mate /usr/share/wallpapers -iname '*.jpg' -size +300k 2>/dev/null | sort | while read -r f; do
  ln -sf "$f" "$dest/$(echo "${f#/usr/share/}" | tr '/' '_')"
done
echo "$dest: $(ls "$dest" | wc -l) photos"
