#!/usr/bin/env bash
# Sets up what MultiModalSearch needs (scripts/setup.sh), then indexes the bundled sample images into the embedded
# database with the default model, shows a few searches, asks the bundled illustrated pages a few questions (answered
# offline by the bundled emoji-llava), then serves the search page over the images and prints its address
# (Ctrl+C stops it). Pass --db URL (or set MMS_DATABASE_URL) to use your own PostgreSQL.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
exec "$root/mms" demo --serve "$@"
