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
  psql "$PG_ADMIN" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'minyi_test_%' OR datname LIKE 'minyi_durability_%'" 2>/dev/null \
    | while read -r db; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
fi

# Every cargo command below selects the whole workspace with its tests, so they all resolve
# the same features and build the dependencies once; `.cargo/config.toml` gives the server
# binary that `cargo test` builds the one compile-time setting cargo-leptos would, so the
# browser tests run that binary and cargo-leptos builds only the wasm front end.
step() { printf '\n== %s (%s, %ss into the run)\n' "$1" "$(date -u +%H:%M:%S)" "$SECONDS"; }

step "format and lints (server and browser builds)"
cargo fmt --all --check
cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
cargo clippy -p app --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings

step "unit, store (SQLite + PostgreSQL) and HTTP tests (SQLite)"
cargo test --workspace

step "HTTP tests again on PostgreSQL"
MINYI_TEST_DB=postgres cargo test --workspace --test http

step "evidence files on a local folder and on S3 (s3s-fs on 127.0.0.1)"
eval "$(.ci/s3.sh start)"
trap '.ci/s3.sh stop' EXIT
MINYI_TEST_S3_REQUIRED=1 cargo test --workspace --test attachments

step "durability: kill -9 mid-write, short version (the long one: .ci/durability.sh)"
# built by `cargo test` above (a package's binaries are built for its integration tests);
# --no-run only confirms they are current
cargo test --workspace --no-run
timeout 110 "${CARGO_TARGET_DIR:-target}/debug/minyi-durability" --cycles 20 --max-ms 400
# two servers on one PostgreSQL, one of them killed each cycle while the other writes
timeout 170 "${CARGO_TARGET_DIR:-target}/debug/minyi-durability" --postgres "$PG_ADMIN" --cycles 20 --max-ms 400

step "browser tests (Playwright, Chromium)"
cargo leptos build --frontend-only
(cd end2end && npx playwright test)

# the store tests' databases
if command -v psql >/dev/null; then
  psql "$PG_ADMIN" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'minyi_test_%'" 2>/dev/null \
    | while read -r db; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
fi
step "done"
