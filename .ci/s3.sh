#!/usr/bin/env bash
# An S3-compatible server on 127.0.0.1 for the evidence-file tests: s3s-fs, a small S3
# server over a folder, installed from crates.io when missing (once; a second run costs
# nothing). The data lives in a throwaway folder.
#
#   eval "$(.ci/s3.sh start)"   # starts it (if not running) and exports MINYI_TEST_S3...
#   .ci/s3.sh env               # prints the exports again
#   .ci/s3.sh stop              # stops the server this script started
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

S3S_FS_VERSION=0.14.1
PORT="${MINYI_S3_PORT:-9014}"
STATE="${MINYI_S3_STATE:-${TMPDIR:-/tmp}/minyi-s3}"
BUCKET=minyi-test
ACCESS_KEY=minyi
SECRET_KEY=minyi-secret

# progress goes to stderr: stdout is the exports, for eval
log() { printf '\033[1;34m[s3]\033[0m %s\n' "$*" >&2; }
up() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

install() {
  if command -v s3s-fs >/dev/null && s3s-fs --version 2>/dev/null | grep -q "$S3S_FS_VERSION"; then
    return
  fi
  log "installing s3s-fs $S3S_FS_VERSION from crates.io (a few minutes on 2 cores)"
  # its own throwaway target folder, not the workspace's
  env -u CARGO_TARGET_DIR cargo install s3s-fs --version "$S3S_FS_VERSION" --features binary --locked >&2
}

print_env() {
  cat <<ENV
export MINYI_TEST_S3=http://127.0.0.1:$PORT
export MINYI_TEST_S3_BUCKET=$BUCKET
export MINYI_TEST_S3_ACCESS_KEY=$ACCESS_KEY
export MINYI_TEST_S3_SECRET_KEY=$SECRET_KEY
export MINYI_TEST_S3_REGION=us-east-1
ENV
}

start() {
  install
  # a bucket of s3s-fs is a folder under its root
  mkdir -p "$STATE/root/$BUCKET"
  if up; then
    log "something answers at 127.0.0.1:$PORT already; using it"
  else
    log "starting s3s-fs at 127.0.0.1:$PORT (data in $STATE/root, log in $STATE/log)"
    nohup s3s-fs --host 127.0.0.1 --port "$PORT" --access-key "$ACCESS_KEY" --secret-key "$SECRET_KEY" \
      "$STATE/root" >"$STATE/log" 2>&1 </dev/null &
    echo $! >"$STATE/pid"
    for _ in $(seq 1 50); do
      if up; then break; fi
      sleep 0.2
    done
    if ! up; then
      log "s3s-fs did not come up:"
      tail -20 "$STATE/log" >&2 || true
      exit 1
    fi
  fi
  print_env
}

stop() {
  if [ -f "$STATE/pid" ]; then
    pid="$(cat "$STATE/pid")"
    if kill "$pid" 2>/dev/null; then log "stopped s3s-fs ($pid)"; fi
    rm -f "$STATE/pid"
  fi
}

case "${1:-start}" in
  start) start ;;
  env) print_env ;;
  stop) stop ;;
  install) install ;;
  *) echo "usage: $0 [start|env|stop|install]" >&2; exit 2 ;;
esac
