#!/usr/bin/env bash
# Durability test: kill -9 the server mid-write, restart, check that every acknowledged
# comment is stored and the SQLite file is sound.
#
#   .ci/durability.sh                 # long version: release build, 200 cycles
#   .ci/durability.sh --cycles 20     # any minyi-durability flag passes through
#   DURABILITY_PROFILE=debug .ci/durability.sh --cycles 20   # the CI version (.ci/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
TARGET="${CARGO_TARGET_DIR:-target}"
PROFILE="${DURABILITY_PROFILE:-release}"
if [ "$PROFILE" = release ]; then
  cargo build --release -p minyi --bin minyi --bin minyi-durability
else
  cargo build -p minyi --bin minyi --bin minyi-durability
fi
if [ $# -eq 0 ]; then set -- --cycles 200; fi
exec "$TARGET/$PROFILE/minyi-durability" "$@"
