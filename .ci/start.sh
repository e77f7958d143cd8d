#!/usr/bin/env bash
# Installs what is missing, builds (release), migrates ./data/minyi.db, loads the demo
# data on first start and serves Minyi at http://127.0.0.1:3000.
# Flags after the script name go to `minyi serve` (e.g. --bind 0.0.0.0:3000).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

.ci/setup.sh
cargo leptos build --release
exec target/release/minyi serve --site-root target/site --demo-if-empty "$@"
