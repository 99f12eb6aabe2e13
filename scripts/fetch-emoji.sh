#!/usr/bin/env bash
# Fetches the emoji images and metadata used to train and evaluate the bundled offline model (models/emoji-clip).
#   scripts/fetch-emoji.sh [DEST]     default DEST: .mms/data/emoji (under the repository root)
# Only the Google (Noto Emoji, Apache-2.0) and Twitter (Twemoji, CC-BY 4.0) sets: the Apple and Facebook sets
# carry licences that forbid this use. Also writes DEST/google.jsonl, DEST/twitter.jsonl and DEST/google+twitter.jsonl
# (scripts/emoji-manifest.mjs).
# Versions are pinned so the published figures stay reproducible.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/.mms/data/emoji}
version=16.0.0
marker="$dest/.fetched-$version"
if [ -f "$marker" ] && [ -f "$dest/google+twitter.jsonl" ]; then
  echo "$dest"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-emoji: npm not found (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dest"
npm install --prefix "$dest" --no-save --no-audit --no-fund --loglevel=error \
  "emoji-datasource-google@$version" "emoji-datasource-twitter@$version" >&2
node "$root/scripts/emoji-manifest.mjs" "$dest"
touch "$marker"
echo "$dest"
