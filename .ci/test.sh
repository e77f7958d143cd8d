#!/usr/bin/env bash
# The whole suite: unit, store tests on SQLite and PostgreSQL, HTTP tests, evidence
# files on a local folder and on S3, and Playwright journeys in headless Chromium. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

.ci/setup.sh
.ci/postgres.sh

# databases left behind by an interrupted earlier run
PG_ADMIN="${MINYI_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v psql >/dev/null; then
  psql "$PG_ADMIN" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'minyi_test_%'" 2>/dev/null \
    | while read -r db; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
fi

echo "== format and lints (server and browser builds)"
cargo fmt --all --check
cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
cargo clippy -p app --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings

echo "== unit, store (SQLite + PostgreSQL) and HTTP tests (SQLite)"
cargo test --workspace

echo "== HTTP tests again on PostgreSQL"
MINYI_TEST_DB=postgres cargo test -p minyi --test http

echo "== evidence files on a local folder and on S3 (s3s-fs on 127.0.0.1)"
eval "$(.ci/s3.sh start)"
trap '.ci/s3.sh stop' EXIT
MINYI_TEST_S3_REQUIRED=1 cargo test -p app --features ssr --test attachments

echo "== durability: kill -9 mid-write, short version (the long one: .ci/durability.sh)"
cargo build -p minyi --bin minyi --bin minyi-durability
timeout 110 "${CARGO_TARGET_DIR:-target}/debug/minyi-durability" --cycles 20 --max-ms 400

echo "== browser tests (Playwright, Chromium)"
cargo leptos build
(cd end2end && npx playwright test)

# the store tests' databases
if command -v psql >/dev/null; then
  psql "$PG_ADMIN" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'minyi_test_%'" 2>/dev/null \
    | while read -r db; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
fi
