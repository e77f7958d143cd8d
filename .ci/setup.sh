#!/usr/bin/env bash
# Installs what building and testing Minyi needs on a fresh Debian machine.
# Every step checks first, so a second run costs seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v cargo-leptos >/dev/null || ! cargo-leptos --version | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # not --locked: one locked dependency of this release is missing from the index
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  log "installing Node.js and npm from Debian"
  apt_install nodejs npm
fi

# npm packages: Playwright and binaryen (wasm-opt). Debian's binaryen makes wasm that
# never hydrates, so wasm-opt always comes from npm (end2end/node_modules/.bin).
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  log "installing npm packages in end2end/"
  (cd end2end && npm ci --no-audit --no-fund)
fi

if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  log "installing Debian's chromium for the browser tests"
  apt_install chromium
fi

# the local SMTP sink the tests and the browser journeys read mails from (Debian's
# python3, not a pyenv or venv one, sees the Debian package)
if ! /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null; then
  log "installing Debian's python3-aiosmtpd (the tests' local SMTP sink)"
  apt_install python3-aiosmtpd
fi

log "toolchain ready"
