#!/usr/bin/env bash
# Installs what is missing, builds (release), migrates ./data/minyi.db, loads the demo
# data on first start and serves Minyi at http://127.0.0.1:3000.
# Flags after the script name go to `minyi serve` (e.g. --bind 0.0.0.0:3000).
# Mail: unless MINYI_SMTP_URL names a relay, a local SMTP sink (.ci/mail-sink.py) takes the
# mails with verification and reset links and prints them here, decoded.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

.ci/setup.sh
cargo leptos build --release
if [ -z "${MINYI_SMTP_URL:-}" ]; then
  port="${MINYI_DEMO_SMTP_PORT:-2525}"
  .ci/mail-sink.py "$port" data/mail &
  sink=$!
  trap 'kill $sink 2>/dev/null || true' EXIT
  export MINYI_SMTP_URL="smtp://127.0.0.1:$port"
fi
target/release/minyi serve --site-root target/site --demo-if-empty "$@"
